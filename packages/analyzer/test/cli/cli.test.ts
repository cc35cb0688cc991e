// jotty-analyze as a real child process: exit codes, one-line errors, formats, sources.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { jaegerHandler, spreadTraces, startFakeJaeger, type FakeJaeger } from "../sources/fake-jaeger.js";
import { tempDir } from "../sources/helpers.js";
import { closedPortUrl, expectOneLineError, runCli } from "./run-cli.js";
import { otlpLine, sid, tid, WINDOW, type TestSpan } from "./traces.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let jaeger: FakeJaeger | undefined;
afterEach(async () => {
  await jaeger?.close();
  jaeger = undefined;
});

function agentTrace(n: number, offsetMs = 0): TestSpan[] {
  const t = tid(n);
  return [
    {
      traceId: t,
      spanId: sid(1),
      name: "invoke_workflow research",
      startMs: offsetMs,
      endMs: offsetMs + 1000,
      attributes: { "gen_ai.operation.name": "invoke_workflow" },
    },
    {
      traceId: t,
      spanId: sid(2),
      parentSpanId: sid(1),
      name: "llm_call",
      startMs: offsetMs,
      endMs: offsetMs + 600,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 1000,
        "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cost": 0.003,
      },
    },
    {
      traceId: t,
      spanId: sid(3),
      parentSpanId: sid(1),
      name: "execute_tool search",
      startMs: offsetMs + 600,
      endMs: offsetMs + 900,
      attributes: { "gen_ai.operation.name": "execute_tool" },
    },
  ];
}

describe("jotty-analyze: usage", () => {
  it("--help lists the flags and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const flag of ["--since", "--until", "--service", "--source", "--jaeger", "--prometheus", "--file", "--format", "--top"]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it("a leading -- (as `pnpm analyze -- --top 3` passes it) is skipped", async () => {
    const run = await runCli(["--", "--file", tmp.write("sep.jsonl", ""), "--top", "3"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^No traces in /);
  });

  it("the jotty-analyze bin runs the same CLI", async () => {
    const { spawnSync } = await import("node:child_process");
    const bin = new URL("../../bin/jotty-analyze.js", import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, "--format", "yaml"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: option '--format <format>' argument 'yaml' is invalid/);
  });

  const bad: [string[], RegExp][] = [
    [["--format", "yaml"], /option '--format <format>' argument 'yaml' is invalid/],
    [["--source", "zipkin"], /argument 'zipkin' is invalid/],
    [["--since", "yesterday"], /--since <when>.*expected a duration/],
    [["--top", "0"], /--top must be a positive integer/],
    [["--file-workers", "0"], /--file-workers must be a positive integer/],
    [["--jaeger", "localhost:16686"], /expected an http\(s\) URL/],
    [["--since", "1h", "--until", "2h"], /--since \(.+\) must be before --until/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
    [["extra"], /too many arguments/],
  ];
  for (const [args, pattern] of bad) {
    it(`exits 2 with one line for ${args.join(" ")}`, async () => {
      expectOneLineError(await runCli(args), 2, pattern);
    });
  }
});

describe("jotty-analyze: traces file", () => {
  const file = tmp.write("agent.jsonl", `${otlpLine([...agentTrace(1), ...agentTrace(2, 2000)])}\n`);

  it("prints the table report (no colour when stdout is not a terminal)", async () => {
    const run = await runCli(["--file", file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout).toMatch(/^2 traces, 6 spans · /);
    expect(run.stdout).toContain("LLM by model");
    expect(run.stdout).toContain("gpt-4o");
  });

  it("--format json is the report contract", async () => {
    const run = await runCli(["--file", file, "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, source: { kind: "file", location: file }, traces: 2, spans: 6 });
    expect(report.llm).toMatchObject({ calls: 2, inputTokens: 2000, outputTokens: 100 });
    for (const key of ["window", "wallMs", "timeDistribution", "operations", "steps", "bottlenecks", "recommendations", "slowestTraces", "warnings"]) {
      expect(report).toHaveProperty(key);
    }
  });

  it("--format markdown renders the same report", async () => {
    const run = await runCli(["--file", file, "--format", "markdown"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Trace analysis\n/);
    expect(run.stdout).toContain("| openai | gpt-4o | 2 |");
  });

  it("JOTTY_TRACES_FILE is the file when Jaeger does not answer (--source auto)", async () => {
    const run = await runCli(["--format", "json"], { JOTTY_TRACES_FILE: file, JAEGER_URL: await closedPortUrl() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).source).toEqual({ kind: "file", location: file });
  });

  it("--since/--until select whole traces that start in the window", async () => {
    const run = await runCli(["--file", file, "--since", "2025-11-25T20:00:01.500Z", "--until", WINDOW.until, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect([report.traces, report.spans]).toEqual([1, 3]);
    expect(report.window).toEqual({ start: "2025-11-25T20:00:01.500Z", end: "2025-11-25T21:00:00.000Z" });
  });

  it("an empty window is one line (and says where the file's spans are)", async () => {
    const run = await runCli(["--file", file, "--since", "1h"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^No traces in \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → .* \(source: file .*agent\.jsonl\)\.$/);
    expect(run.stdout).toContain("holds 6 spans starting 2025-11-25T20:00:00.000Z … 2025-11-25T20:00:02.600Z, none in this window");
  });

  it("--service keeps whole traces with a span of that service", async () => {
    const mixed = tmp.write("services.jsonl", `${otlpLine(agentTrace(1))}\n${otlpLine(agentTrace(2, 2000), "billing")}\n`);
    const billing = JSON.parse((await runCli(["--file", mixed, "--service", "billing", "--format", "json"])).stdout);
    expect([billing.traces, billing.spans, billing.slowestTraces[0].traceId]).toEqual([1, 3, tid(2)]);
    const none = await runCli(["--file", mixed, "--service", "nobody"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^No traces in /);
    expect(none.stdout).toContain("none of service nobody");
  });

  it("an empty file is one line", async () => {
    const run = await runCli(["--file", tmp.write("empty.jsonl", "")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^No traces in .*\(source: file .*empty\.jsonl\)\.\n$/);
  });

  it("a truncated document exits 1 with one line naming the file", async () => {
    const path = tmp.write("cut.json", JSON.stringify(JSON.parse(otlpLine(agentTrace(1))), null, 2).slice(0, 500));
    expectOneLineError(await runCli(["--file", path]), 1, /^jotty-analyze: .*cut\.json: not valid JSON by line \d+/);
  });

  it("a missing file exits 1 with one line", async () => {
    expectOneLineError(
      await runCli(["--source", "file", "--file", "/nonexistent/traces.jsonl"]),
      1,
      /^jotty-analyze: cannot read traces file \/nonexistent\/traces\.jsonl: no such file\n$/,
    );
  });

  it("--source file without a file exits 1 with one line", async () => {
    expectOneLineError(await runCli(["--source", "file"]), 1, /--source file needs --file <path> \(or JOTTY_TRACES_FILE\)/);
  });
});

describe("jotty-analyze: bad trace data is reported as warnings, never a crash", () => {
  const cases: [string, TestSpan[], RegExp][] = [
    [
      "a span whose parent is missing",
      [...agentTrace(1), { traceId: tid(1), spanId: sid(9), parentSpanId: sid(77), name: "orphan", startMs: 10, endMs: 20 }],
      /parent that is missing/,
    ],
    [
      "a parent cycle",
      [
        { traceId: tid(1), spanId: sid(1), parentSpanId: sid(2), name: "a", startMs: 0, endMs: 10 },
        { traceId: tid(1), spanId: sid(2), parentSpanId: sid(1), name: "b", startMs: 1, endMs: 5 },
      ],
      /cycle/,
    ],
    ["duplicate span ids", [...agentTrace(1), { ...agentTrace(1)[1]!, name: "dup" }], /duplicate span id/],
    [
      "a negative duration",
      [...agentTrace(1), { traceId: tid(1), spanId: sid(9), parentSpanId: sid(1), name: "backwards", startMs: 500, endMs: 100 }],
      /end before they start/,
    ],
    [
      "clock skew (a child outside its parent)",
      [...agentTrace(1), { traceId: tid(1), spanId: sid(9), parentSpanId: sid(1), name: "skewed", startMs: 900, endMs: 1500 }],
      /outside their parent/,
    ],
  ];
  for (const [name, spans, warning] of cases) {
    it(name, async () => {
      const run = await runCli(["--file", tmp.write(`${name.replace(/\W+/g, "-")}.jsonl`, `${otlpLine(spans)}\n`), "--format", "json"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      const report = JSON.parse(run.stdout);
      expect(report.spans).toBeGreaterThan(0);
      expect(report.warnings.some((w: string) => warning.test(w))).toBe(true);
    });
  }

  it("a single trace of 100,000 spans", async () => {
    const spans: TestSpan[] = [{ traceId: tid(5), spanId: sid(1), name: "root", startMs: 0, endMs: 100_000 }];
    for (let i = 2; i <= 100_000; i++)
      spans.push({
        traceId: tid(5),
        spanId: sid(i),
        parentSpanId: sid(1 + Math.floor((i - 2) / 100) * 0 + (i > 1001 ? 1 + ((i - 2) % 1000) : 1)),
        name: `work-${i % 7}`,
        startMs: i % 1000,
        endMs: (i % 1000) + 5,
      });
    const lines = [];
    for (let i = 0; i < spans.length; i += 5000) lines.push(otlpLine(spans.slice(i, i + 5000)));
    const run = await runCli(["--file", tmp.write("huge-trace.jsonl", `${lines.join("\n")}\n`), "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect([report.traces, report.spans]).toEqual([1, 100_000]);
    expect(report.slowestTraces[0]).toMatchObject({ traceId: tid(5), rootName: "root", durationMs: 100_000 });
  }, 60_000);
});

describe("jotty-analyze: Jaeger", () => {
  it("reads every trace of the window through a small page size", async () => {
    const now = Date.now();
    jaeger = await startFakeJaeger(jaegerHandler(spreadTraces("agent", 23, now - 50 * 60_000, now - 60_000)));
    const run = await runCli(["--source", "jaeger", "--jaeger", jaeger.url, "--since", "1h", "--format", "json", "--page-size", "4"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(""); // no progress line: stderr is not a terminal
    const report = JSON.parse(run.stdout);
    expect([report.traces, report.spans]).toEqual([23, 69]);
    expect(report.source).toEqual({ kind: "jaeger", location: jaeger.url });
    expect(report.slowestTraces[0].url).toBe(`${jaeger.url}/trace/${report.slowestTraces[0].traceId}`);
    expect(jaeger.requests.filter((u) => u.pathname === "/api/v3/traces").length).toBeGreaterThan(5);
  });

  it("an empty window (404 No traces found) is one line", async () => {
    jaeger = await startFakeJaeger(jaegerHandler([], ["agent"]));
    const run = await runCli(["--jaeger", jaeger.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^No traces in .* \\(source: jaeger ${jaeger.url.replace(/[.]/g, "\\.")}\\)\\.\\n$`));
  });

  it("Jaeger answering 500 exits 1 with one line", async () => {
    jaeger = await startFakeJaeger((_url, res) => {
      res.writeHead(500).end('{"error":{"httpCode":500,"message":"boom"}}');
      return true;
    });
    expectOneLineError(
      await runCli(["--source", "jaeger", "--jaeger", jaeger.url]),
      1,
      /^jotty-analyze: Jaeger at .* answered \/api\/v3\/services with HTTP 500: boom\n$/,
    );
  });

  it("Jaeger answering HTML exits 1 with one line", async () => {
    jaeger = await startFakeJaeger((_url, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>proxy login</body></html>");
      return true;
    });
    expectOneLineError(await runCli(["--source", "jaeger", "--jaeger", jaeger.url]), 1, /with HTML \(HTTP 200\), not JSON/);
  });

  it("Jaeger unreachable exits 1 with one line", async () => {
    const url = await closedPortUrl();
    expectOneLineError(
      await runCli(["--source", "jaeger", "--jaeger", url]),
      1,
      /^jotty-analyze: Jaeger at .* is unreachable \(ECONNREFUSED [\d.:]+\); start the stack/,
    );
  });

  it("--source auto with neither Jaeger nor a file names both in one line", async () => {
    const url = await closedPortUrl();
    expectOneLineError(
      await runCli([], { JAEGER_URL: url }),
      1,
      /^jotty-analyze: no trace source: Jaeger at .* is unreachable \(ECONNREFUSED [\d.:]+\), and no traces file was given \(--file or JOTTY_TRACES_FILE\); start the stack/,
    );
  });

  it("Prometheus unreachable exits 1 with one line", async () => {
    const url = await closedPortUrl();
    expectOneLineError(await runCli(["--source", "prometheus", "--prometheus", url]), 1, /^jotty-analyze: Prometheus at .* is unreachable/);
  });
});
