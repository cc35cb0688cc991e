// Runs the seed's scenarios against an OpenAI-compatible endpoint, instrumented by @jotty/otel.
// Started by demo.ts as a child process (so its spans are flushed when it exits); runnable alone:
//   OPENAI_BASE_URL=http://127.0.0.1:8787/v1 node examples/jotty-agent/src/agent.ts --scenario research
import "@jotty/otel/register";
import { writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { profile, runSteps, toolCall, type ProgressMode, type RunReport, type Step } from "@jotty/otel";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { chat, type LlmSpans } from "./llm.ts";
import { findScenarios, STEP_TIMEOUT_MS, stepMarker, SYSTEM_PROMPT, validationFailures, type ScenarioSpec, type StepSpec } from "./scenarios.ts";

export interface AgentOptions {
  timeScale: number;
  seed: number;
  llmSpans: LlmSpans;
  progress: ProgressMode;
}

export interface AgentSummary {
  startedAtMs: number;
  endedAtMs: number;
  wallMs: number;
  runs: { scenario: string; ok: boolean; durationMs: number; steps: { name: string; outcome: string; attempts: number; durationMs: number }[] }[];
}

class ValidationError extends Error {
  override name = "ValidationError";
}

function buildStep(client: OpenAI, scenario: ScenarioSpec, spec: StepSpec, options: AgentOptions): Step<string> {
  const failures = spec.name === "validate_code" ? validationFailures(options.seed) : 0;
  return {
    name: spec.name,
    ...(spec.maxRetries !== undefined ? { maxRetries: spec.maxRetries } : {}),
    async run({ signal, attempt, results }) {
      // Context grows step by step: every earlier answer goes back into the prompt.
      const messages = profile("build_prompt", () => {
        const history: ChatCompletionMessageParam[] = [
          { role: "system", content: SYSTEM_PROMPT },
          { role: "user", content: `Task: ${scenario.task}` },
        ];
        scenario.steps.forEach((earlier, i) => {
          const answer = results.list[i];
          if (typeof answer !== "string") return;
          history.push({ role: "user", content: `${stepMarker(earlier.name)} ${earlier.instruction}` });
          history.push({ role: "assistant", content: answer });
        });
        return history;
      });
      for (const tool of spec.tools ?? []) {
        await Promise.all(
          Array.from({ length: tool.parallel ?? 1 }, (_, i) =>
            toolCall(tool.name, () => sleep(tool.ms * options.timeScale, undefined, { signal }), { "jotty.tool.call_index": i }),
          ),
        );
      }
      const feedback = attempt > 1 ? ` (attempt ${attempt}: fix the defects found last time)` : "";
      messages.push({ role: "user", content: `${stepMarker(spec.name)} ${spec.instruction}${feedback}` });
      const answer = await chat(
        client,
        { model: scenario.model, messages, maxTokens: spec.outputTokens, stream: spec.stream === true, signal },
        options.llmSpans,
      );
      if (attempt <= failures) {
        profile("check_review", () => {
          throw new ValidationError(`validation failed on attempt ${attempt}: 2 of 9 tests fail (seed ${options.seed})`);
        });
      }
      return answer;
    },
  };
}

export async function runAgent(scenarios: ScenarioSpec[], options: AgentOptions): Promise<AgentSummary> {
  const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? "sk-simulated", maxRetries: 2 });
  const startedAtMs = Date.now();
  const started = performance.now();
  const runs: RunReport[] = [];
  for (const scenario of scenarios) {
    const report = await runSteps(
      scenario.title,
      scenario.steps.map((spec) => buildStep(client, scenario, spec, options)),
      {
        timeoutPerStepMs: STEP_TIMEOUT_MS * options.timeScale,
        maxRetriesPerStep: 1,
        backoff: { baseMs: 250, maxMs: 2_000, jitter: 0.5 },
        progress: options.progress,
      },
    );
    runs.push(report);
  }
  const wallMs = performance.now() - started;
  return {
    startedAtMs,
    endedAtMs: startedAtMs + wallMs,
    wallMs,
    runs: runs.map((r, i) => ({
      scenario: scenarios[i]!.id,
      ok: r.ok,
      durationMs: r.durationMs,
      steps: r.steps.map((s) => ({ name: s.name, outcome: s.outcome, attempts: s.attempts, durationMs: s.durationMs })),
    })),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string", default: "all" },
      "time-scale": { type: "string", default: "0.1" },
      seed: { type: "string", default: "1" },
      "llm-spans": { type: "string", default: "capture" },
      progress: { type: "string", default: "auto" },
      "summary-file": { type: "string" },
    },
  });
  const summary = await runAgent(findScenarios(values.scenario), {
    timeScale: Number(values["time-scale"]),
    seed: Number(values.seed),
    llmSpans: values["llm-spans"] === "explicit" ? "explicit" : "capture",
    progress: values.progress as ProgressMode,
  });
  if (values["summary-file"]) writeFileSync(values["summary-file"], JSON.stringify(summary));
  if (summary.runs.some((r) => !r.ok)) process.exitCode = 1;
}
