// Trace links only when Jaeger is the source: a report read from a file names its traces and
// spans by id (its traces need not be in any Jaeger, even when JAEGER_URL is set), a report
// read from Jaeger links them into its UI.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { jaegerHandler, spreadTraces, startFakeJaeger, type FakeJaeger } from "../sources/fake-jaeger.js";
import { tempDir } from "../sources/helpers.js";
import { runCli } from "./run-cli.js";
import { otlpLine, sid, tid, type TestSpan } from "./traces.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let jaeger: FakeJaeger | undefined;
afterEach(async () => {
  await jaeger?.close();
  jaeger = undefined;
});

/** A run whose first LLM call was refused with a 429 and retried. */
const refusedRun: TestSpan[] = [
  { traceId: tid(7), spanId: sid(1), name: "invoke_workflow research", startMs: 0, endMs: 1000, attributes: { "gen_ai.operation.name": "invoke_workflow" } },
  ...[0, 1].map((k) => ({
    traceId: tid(7),
    spanId: sid(2 + k),
    parentSpanId: sid(1),
    name: "llm_call",
    startMs: k * 300,
    endMs: k * 300 + (k === 0 ? 100 : 500),
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "http.response.status_code": k === 0 ? 429 : 200,
      ...(k === 0 ? { "error.type": "tokens" } : { "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10 }),
    },
  })),
];

describe("trace links", () => {
  const file = tmp.write("refused.jsonl", `${otlpLine(refusedRun)}\n`);

  it("from a file: trace and span ids, no link into a Jaeger that never saw them", async () => {
    const env = { JAEGER_URL: "http://jaeger.example:16686" };
    const json = JSON.parse((await runCli(["--file", file, "--format", "json"], env)).stdout);
    expect(json.slowestTraces).toEqual([{ traceId: tid(7), rootName: "invoke_workflow research", durationMs: 1000, url: "" }]);
    expect(json.errors).toEqual([
      {
        provider: "openai",
        model: "gpt-4o",
        type: "tokens",
        httpStatus: 429,
        count: 1,
        lostMs: 300,
        backoffMs: 200,
        examples: [{ traceId: tid(7), spanId: sid(2) }],
      },
    ]);
    for (const format of ["table", "markdown", "html"]) {
      const out = (await runCli(["--file", file, "--format", format], env)).stdout;
      expect(out, format).not.toContain("jaeger.example");
      expect(out, format).not.toContain("/trace/");
      expect(out, format).not.toContain("opens in Jaeger UI");
      expect(out, format).toContain(`trace ${tid(7)} span ${sid(2)}`);
    }
  });

  it("from Jaeger: the slowest traces link into its UI", async () => {
    const now = Date.now();
    jaeger = await startFakeJaeger(jaegerHandler(spreadTraces("agent", 2, now - 10 * 60_000, now - 60_000)));
    const run = await runCli(["--source", "jaeger", "--jaeger", jaeger.url, "--since", "1h", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.slowestTraces.length).toBe(2);
    for (const t of report.slowestTraces) expect(t.url).toBe(`${jaeger.url}/trace/${t.traceId}`);
    const table = (await runCli(["--source", "jaeger", "--jaeger", jaeger.url, "--since", "1h"])).stdout;
    expect(table).toContain(`${jaeger.url}/trace/${report.slowestTraces[0].traceId}`);
  });
});
