// `jotty-analyze mcp` driven by the SDK's real client over stdio (the built CLI as a child
// process): the tools and their schemas, the same figures as `--format json`, and arguments
// that must be refused as tool errors — a bad window, a file outside --allow-dir.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../cli/run-cli.js";
import { agentRuns } from "../compare/agent-runs.js";
import { tid } from "../cli/traces.js";

const allowed = mkdtempSync(join(tmpdir(), "jotty-mcp-"));
const outside = mkdtempSync(join(tmpdir(), "jotty-mcp-outside-"));
const current = join(allowed, "current.jsonl");
const baseline = join(allowed, "baseline.jsonl");
const secret = join(outside, "other.jsonl");
writeFileSync(current, agentRuns({ runs: 12, seed: 41, slowed: { step: 2, factor: 3 } }));
writeFileSync(baseline, agentRuns({ runs: 12, seed: 42 }));
writeFileSync(secret, agentRuns({ runs: 2, seed: 43 }));
symlinkSync(secret, join(allowed, "link.jsonl"));

let client: Client;
beforeAll(async () => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !["JOTTY_TRACES_FILE", "JAEGER_URL", "PROMETHEUS_URL"].includes(k)) env[k] = v;
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp", "--allow-dir", allowed], env, stderr: "pipe" });
  client = new Client({ name: "jotty-test", version: "0.0.0" });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
  rmSync(allowed, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

type Structured = Record<string, unknown>;
const call = async (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
const text = (r: Awaited<ReturnType<typeof call>>) => (r.content as { type: string; text: string }[])[0]!.text;

describe("jotty-analyze mcp", () => {
  it("lists its tools, each with a JSON schema for its arguments and its result", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["compare", "critical_path", "findings", "report", "slow_vs_fast"]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type).toBe("object");
    }
    const report = tools.find((t) => t.name === "report")!;
    expect(Object.keys(report.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(["file", "since", "until", "source", "service"]));
  });

  it("report answers the same traces and calls as --format json", async () => {
    const result = await call("report", { file: current });
    expect(result.isError).toBeFalsy();
    const viaMcp = result.structuredContent as Structured & { llm: { calls: number; inputTokens: number; costUsd: number } };
    const cli = JSON.parse((await runCli(["--file", current, "--format", "json"])).stdout);
    expect({ traces: viaMcp.traces, spans: viaMcp.spans, calls: viaMcp.llm.calls, input: viaMcp.llm.inputTokens, cost: viaMcp.llm.costUsd }).toEqual({
      traces: cli.traces,
      spans: cli.spans,
      calls: cli.llm.calls,
      input: cli.llm.inputTokens,
      cost: cli.llm.costUsd,
    });
    expect(viaMcp.traces).toBe(12);
    expect(JSON.parse(text(result)).traces).toBe(12);
  });

  it("compare finds the slowed step as a regression; findings carry stable ids", async () => {
    const compared = (await call("compare", { file: current, baselineFile: baseline })).structuredContent as {
      comparison: { regressions: { target: string }[] };
    };
    expect(compared.comparison.regressions.map((r) => r.target)).toContain("solver step 3: plan");
    const findings = (await call("findings", { file: current })).structuredContent as { findings: { id: string; kind: string; target: string }[] };
    expect(findings.findings.length).toBeGreaterThan(0);
    for (const f of findings.findings) expect(f.id).toBe(`${f.kind}:${f.target}`);
  });

  it("slow_vs_fast and critical_path answer within their bounds", async () => {
    const split = (await call("slow_vs_fast", { file: current })).structuredContent as { runs: number; slowVsFast: { factors: unknown[] } | null };
    expect(split.runs).toBe(12);
    expect(split.slowVsFast).not.toBeNull();
    const path = (await call("critical_path", { file: current, traceId: tid(1), maxSpans: 3 })).structuredContent as {
      spans: { criticalMs: number }[];
      omittedSpans: number;
      durationMs: number;
    };
    expect(path.spans).toHaveLength(3);
    expect(path.omittedSpans).toBeGreaterThan(0);
    expect(path.spans.every((s) => s.criticalMs > 0 && s.criticalMs <= path.durationMs)).toBe(true);
  });

  it("refuses bad arguments as tool errors, and keeps serving", async () => {
    const badWindow = await call("report", { file: current, since: "yesterday" });
    expect(badWindow.isError).toBe(true);
    expect(text(badWindow)).toMatch(/--since <when>.*expected a duration/);
    const outsideFile = await call("report", { file: secret });
    expect(outsideFile.isError).toBe(true);
    expect(text(outsideFile)).toMatch(/outside the folders this server may read/);
    const escaped = await call("report", { file: join(allowed, "..", outside.split("/").pop()!, "other.jsonl") });
    expect(escaped.isError).toBe(true);
    const link = await call("report", { file: join(allowed, "link.jsonl") });
    expect(text(link)).toMatch(/outside the folders/);
    const badId = await call("critical_path", { file: current, traceId: "not-a-trace" });
    expect(badId.isError).toBe(true);
    expect(text(badId)).toMatch(/32 hex digits/);
    const noBaseline = await call("compare", { file: current });
    expect(noBaseline.isError).toBe(true);
    expect((await call("report", { file: current })).isError).toBeFalsy();
  });
});
