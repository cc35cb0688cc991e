// Runs the profiling example as a user would (a child process on the built @jotty/otel).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// The example shows `using` segments, which Node runs from 24 on (Node 22 needs a transpiler).
const usingUnsupported = Number(process.versions.node.split(".")[0]) < 24;
if (usingUnsupported) console.log(`examples/profiling skipped: \`using\` declarations need Node 24 (this is ${process.version})`);

describe.skipIf(usingUnsupported)("examples/profiling", () => {
  it("prints the segment tree with nested and parallel segments, and the LLM calls", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [main, "--time-scale", "0.02"], {
      env: { ...process.env, OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" },
    });
    const tree = stdout.slice(stdout.indexOf("Segment tree"), stdout.indexOf("\nTime distribution"));
    const row = (indent: number, name: string, count: number) => new RegExp(`^  ${" ".repeat(indent)}${name}\\s+${count}\\s`, "m");
    expect(stdout).toMatch(/^Performance report \(PerformanceProfiler\)\n1 traces, \d+ spans · /);
    expect(tree).toMatch(row(0, "agent_run", 1));
    expect(tree).toMatch(row(2, "load_context", 1));
    expect(tree).toMatch(row(4, "execute_tool fetch_source", 2)); // both parallel children under load_context
    expect(tree).toMatch(row(2, "parse_documents", 1));
    expect(tree).toMatch(row(4, "tokenize", 2));
    expect(tree).toMatch(row(2, "fingerprint", 1));
    expect(tree).toMatch(row(4, "llm_call", 1)); // under plan and under answer
    expect(stdout).toMatch(/^Wall time .* · LLM \d+(\.\d)? % of wall time/m);
    expect(stdout).toMatch(/^2 LLM calls · /m);
    expect(stdout).toMatch(/^ {2}openai +gpt-4\.1-mini +2 /m);
  });
});
