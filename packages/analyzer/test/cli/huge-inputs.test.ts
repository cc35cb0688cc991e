// A million spans under a 256 MB heap (issue 24): 1,000,000 one-span traces, and one trace of
// 1,000,000 spans, each analysed exactly by the built jotty-analyze in a child process run with
// --max-old-space-size=256. The heap cap is the memory assertion: a run whose memory grew with
// the traces seen dies of V8's out-of-memory abort (exit 134), so exit 0 with every figure exact
// is the pass. The files (~540 MB each) are written streamed into a temporary directory.
// Run `pnpm build` before running this file alone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL, giantTrace, type HugeSpan, MILLION, oneSpanTraces, writeTracesFile } from "./huge-traces.js";
import { runCli } from "./run-cli.js";

const HEAP = "--max-old-space-size=256";
// Generous: this is no timing test, and the suite's machines are shared.
const TIMEOUT_MS = 600_000;
/** gpt-4o at the catalog's $2.50 / $10 per million input / output tokens. */
const CALL_USD = (CALL.inputTokens * 2.5 + CALL.outputTokens * 10) / 1e6;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jotty-huge-inputs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyseUnderCap(name: string, spans: Iterable<HugeSpan>) {
  const file = join(dir, `${name}.jsonl`);
  await writeTracesFile(file, spans);
  try {
    const run = await runCli(["--file", file, "--format", "json"], {}, [HEAP]);
    expect({ code: run.code, stderr: run.stderr.split("\n").slice(0, 5).join("\n") }).toEqual({ code: 0, stderr: "" });
    return JSON.parse(run.stdout);
  } finally {
    rmSync(file, { force: true });
  }
}

describe("a million spans under a 256 MB heap", () => {
  it(
    "1,000,000 one-span traces: every trace and call counted, tokens, cost and wall exact, no warning",
    async () => {
      const report = await analyseUnderCap("one-span-traces", oneSpanTraces());
      expect({ traces: report.traces, spans: report.spans, wallMs: report.wallMs, runs: report.runs.count, warnings: report.warnings }).toEqual({
        traces: MILLION,
        spans: MILLION,
        wallMs: 5 * MILLION,
        runs: MILLION,
        warnings: [],
      });
      expect(report.llm).toMatchObject({
        calls: MILLION,
        inputTokens: CALL.inputTokens * MILLION,
        outputTokens: CALL.outputTokens * MILLION,
        costUsd: 450,
      });
      expect(report.llm.costUsd).toBe(Math.round(CALL_USD * MILLION * 1e9) / 1e9);
      expect(report.llm.byModel).toMatchObject([{ provider: "openai", model: "gpt-4o", calls: MILLION, p50Ms: 5, p95Ms: 5 }]);
      expect(report.slowestTraces).toHaveLength(10);
    },
    TIMEOUT_MS,
  );

  it(
    "one trace of 1,000,000 spans: one trace, wall 1,000 s, listed once among the slowest, one run, one warning",
    async () => {
      const report = await analyseUnderCap("giant-trace", giantTrace());
      const calls = MILLION - 1;
      expect({ traces: report.traces, spans: report.spans, wallMs: report.wallMs, runs: report.runs.count }).toEqual({
        traces: 1,
        spans: MILLION,
        wallMs: 1_000_000,
        runs: 1,
      });
      expect(report.llm).toMatchObject({ calls, inputTokens: CALL.inputTokens * calls, outputTokens: CALL.outputTokens * calls, costUsd: 449.99955 });
      expect(report.slowestTraces.map((t: { rootName: string; durationMs: number }) => [t.rootName, t.durationMs])).toEqual([["agent run", 1_000_000]]);
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatch(/^1 trace\(s\) analysed in parts, 899999 span\(s\) after their trace's first part .*: 1000000 spans in \d+ parts\)$/);
    },
    TIMEOUT_MS,
  );
});
