// Generated agent runs of known truth, as OTLP JSON lines: a workflow of four steps, each with
// one LLM call (and a tool call in step 3), every duration and token count jittered by a seeded
// random source so two windows differ only by noise unless a step is made slower on purpose.
import { otlpLine, sid, tid, type TestSpan } from "../cli/traces.js";

export const STEPS = [
  { name: "understand", ms: 800, inputTokens: 400 },
  { name: "plan", ms: 1200, inputTokens: 900 },
  { name: "solve", ms: 2000, inputTokens: 1500 },
  { name: "answer", ms: 600, inputTokens: 2000 },
] as const;

export interface RunsSpec {
  runs: number;
  seed: number;
  /** First trace number (trace ids are tid(firstTrace + i)). */
  firstTrace?: number;
  /** ± this share of noise on every duration and token count (default 0.1). */
  jitter?: number;
  /** Steps (1-based) made slower in the runs `slowRuns` picks (default: every run). */
  slowed?: { step: number; factor: number; inputTokensFactor?: number; runs?: (i: number) => boolean };
  /** Steps (1-based) whose first attempt timed out and was retried. */
  retried?: number[];
}

/** mulberry32: a small seeded generator, so every test window is reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function agentRuns(spec: RunsSpec): string {
  const random = seeded(spec.seed);
  const jitter = spec.jitter ?? 0.1;
  const noisy = (x: number) => x * (1 + jitter * (2 * random() - 1));
  const lines: string[] = [];
  for (let i = 0; i < spec.runs; i++) {
    const traceId = tid((spec.firstTrace ?? 1) + i);
    const start = i * 20_000;
    const spans: TestSpan[] = [];
    let at = start;
    let span = 2;
    STEPS.forEach((step, s) => {
      const slowed = spec.slowed !== undefined && spec.slowed.step === s + 1 && (spec.slowed.runs?.(i) ?? true);
      const ms = noisy(step.ms) * (slowed ? spec.slowed!.factor : 1);
      const inputTokens = Math.round(noisy(step.inputTokens) * (slowed ? (spec.slowed!.inputTokensFactor ?? 1) : 1));
      const retried = spec.retried?.includes(s + 1) ?? false;
      const stepId = sid(span++);
      spans.push({
        traceId,
        spanId: stepId,
        parentSpanId: sid(1),
        name: step.name,
        startMs: at,
        endMs: at + ms,
        attributes: { "jotty.step.name": step.name, "jotty.step.index": s + 1, "jotty.step.attempts": retried ? 2 : 1, "jotty.step.outcome": "ok" },
      });
      let callStart = at;
      if (retried) {
        const attempt1 = sid(span++);
        spans.push({
          traceId,
          spanId: attempt1,
          parentSpanId: stepId,
          name: "attempt 1",
          startMs: at,
          endMs: at + ms * 0.3,
          attributes: { "jotty.step.attempt": 1, "jotty.step.outcome": "timeout" },
        });
        callStart = at + ms * 0.3;
      }
      const callEnd = callStart + (at + ms - callStart) * 0.9;
      spans.push({
        traceId,
        spanId: sid(span++),
        parentSpanId: stepId,
        name: "llm_call",
        startMs: callStart,
        endMs: callEnd,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.input_tokens": inputTokens,
          "gen_ai.usage.output_tokens": Math.round(noisy(200)),
          "gen_ai.usage.cost": Math.round(inputTokens * 2.5 + 200 * 10) / 1e6,
        },
      });
      if (s === 2) {
        spans.push({
          traceId,
          spanId: sid(span++),
          parentSpanId: stepId,
          name: "execute_tool search",
          startMs: callEnd,
          endMs: at + ms * 0.98,
          attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" },
        });
      }
      at += ms;
    });
    spans.unshift({
      traceId,
      spanId: sid(1),
      name: "invoke_workflow solver",
      startMs: start,
      endMs: at,
      attributes: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "solver" },
    });
    lines.push(otlpLine(spans));
  }
  return `${lines.join("\n")}\n`;
}
