// Traces and series outlive the processes that hold them: after `pnpm stack down` and
// `pnpm stack up`, `pnpm analyze --since 1h` reports the same traces and figures and Prometheus
// still has the totals; after Jaeger is killed (SIGKILL) in the middle of a load, every span the
// app had acknowledged is in Jaeger once it is back. With the old memstore, both lost every trace.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoDir } from "../native/binaries.ts";
import { isProcessAlive as alive } from "../native/process-alive.ts";
import { startStack, type RunningStack } from "../native/stack.ts";
import { AgentProcess } from "./helpers/agent-process.ts";
import { analyzeJaeger, figures } from "./helpers/analyze.ts";
import { jaegerTrace, poll, promQuery } from "./helpers/query.ts";
import { agentOnStack } from "./helpers/stack-agent.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const SPANS_PER_RUN = 6;
const scratch = mkdtempSync(join(tmpdir(), "jotty-persistence-"));
const env = { ...process.env, JOTTY_STACK_RUN_DIR: join(scratch, "run"), JOTTY_STACK_DATA_DIR: join(scratch, "data"), JOTTY_STACK_PORTS: "free" };
let cliPids: number[] = [];
let stack: RunningStack | undefined;

afterAll(async () => {
  for (const pid of cliPids.filter(alive)) process.kill(pid, "SIGKILL");
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function stackCli(command: "up" | "down"): Promise<Record<string, string>> {
  const cli = join(repoDir, "deploy", "native", "stack-cli.ts");
  await promisify(execFile)(process.execPath, [cli, command], { env, timeout: 120_000 });
  if (command === "down") return {};
  const state = JSON.parse(readFileSync(join(scratch, "run", "stack.json"), "utf8")) as { pids: Record<string, number>; urls: Record<string, string> };
  cliPids = Object.values(state.pids);
  return state.urls;
}

describe.skipIf(skipStackTests)("persistent traces and series", () => {
  it("pnpm stack down + up: the analyzer reports the same traces and figures, Prometheus the same totals", async () => {
    const service = `jotty-restart-${randomUUID().slice(0, 8)}`;
    const before = await stackCli("up");
    const agent = new AgentProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: before.otlp!,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      E2E_MODEL: "restart-model",
    });
    let traceIds: string[];
    try {
      await agent.ready();
      traceIds = [await agent.run("one"), await agent.run("two"), await agent.run("three")];
      expect((await agent.exit()).code).toBe(0);
    } finally {
      agent.kill();
    }
    for (const id of traceIds) await jaegerTrace(before.jaeger!, id, SPANS_PER_RUN);
    const tokens = `sum(llm_usage_input_tokens_total{job="${service}"})`;
    const scraped = await poll("the input tokens in Prometheus", 60_000, async () => {
      const [sample] = await promQuery(before.prometheus!, tokens);
      if (sample?.value !== 3 * 2 * 1200) return undefined;
      const [stamp] = await promQuery(before.prometheus!, `max(timestamp(llm_usage_input_tokens_total{job="${service}"}))`);
      return stamp?.value;
    });
    const first = (await analyzeJaeger(before.jaeger!, service)).report!;
    expect(first.traces).toBe(3);

    await stackCli("down");
    expect(cliPids.filter(alive)).toEqual([]);
    const after = await stackCli("up");

    const second = (await analyzeJaeger(after.jaeger!, service)).report!;
    expect(figures(second)).toEqual(figures(first));
    const [kept] = await promQuery(after.prometheus!, tokens, scraped);
    expect(kept?.value).toBe(3 * 2 * 1200);
    await stackCli("down");
  }, 300_000);

  it("Jaeger killed (SIGKILL) during a load: every span the app had acknowledged is stored once it is back", async () => {
    const service = `jotty-crash-${randomUUID().slice(0, 8)}`;
    stack = await startStack({ dataDir: join(scratch, "crash-data") });
    const agent = agentOnStack(stack, service, "crash-model");
    try {
      await agent.ready();
      const stored = await agent.run("before");
      await jaegerTrace(stack.jaegerUrl, stored, SPANS_PER_RUN);
      await agent.load(true);
      await poll("spans exported under load", 60_000, async () => ((await agent.stats()).stats.exportedSpans >= 30 * SPANS_PER_RUN ? true : undefined));
      await stack.killJaeger();
      // The load goes on while Jaeger is down: the collector acknowledges and queues.
      const during = await agent.stats();
      await poll("more spans acknowledged while Jaeger is down", 60_000, async () =>
        (await agent.stats()).stats.exportedSpans >= during.stats.exportedSpans + 10 * SPANS_PER_RUN ? true : undefined,
      );
      await stack.startJaeger();
      await agent.load(false);
      const { stats, code } = await agent.exit();
      expect(code).toBe(0);
      expect(stats.stats.droppedSpans).toBe(0);
      const acknowledged = stats.stats.exportedSpans;
      expect(acknowledged % SPANS_PER_RUN).toBe(0);
      // The collector retries what Jaeger missed; the analyzer then sees every acknowledged span.
      const report = await poll(`all ${acknowledged} spans in Jaeger`, 90_000, async () => {
        const { report } = await analyzeJaeger(stack!.jaegerUrl, service);
        return report!.spans === acknowledged ? report : undefined;
      });
      expect(report.traces).toBe(acknowledged / SPANS_PER_RUN);
    } finally {
      agent.kill();
    }
  }, 300_000);
});
