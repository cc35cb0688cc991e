// `--format html` and `--output FILE` through the built CLI, as a user runs them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { tempDir } from "../sources/helpers.js";
import { runCli } from "./run-cli.js";
import { otlpLine, sid, tid } from "./traces.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const file = tmp.write(
  "run.jsonl",
  `${otlpLine([
    { traceId: tid(1), spanId: sid(1), name: "handle <b>request</b>", startMs: 0, endMs: 1000 },
    {
      traceId: tid(1),
      spanId: sid(2),
      parentSpanId: sid(1),
      name: "llm_call",
      startMs: 100,
      endMs: 700,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 800,
        "gen_ai.usage.output_tokens": 40,
        "gen_ai.usage.cost": 0.004,
      },
    },
  ])}\n`,
);

describe("jotty-analyze --format html / --output", () => {
  it("--format html prints one self-contained page: library inlined, a CSP, nothing remote", async () => {
    const run = await runCli(["--file", file, "--format", "html"]);
    expect(run.code, run.stderr).toBe(0);
    const html = run.stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-");
    expect(html).toContain("Chart.js v4"); // the library's banner: inlined, not linked
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*["']?https?:/i);
    expect(html).not.toContain("sourceMappingURL");
    expect(html).toContain("handle &lt;b&gt;request&lt;/b&gt;");
    expect(html).not.toContain("<b>request</b>");
  });

  it("--output writes the report to the file, one line on stderr, nothing on stdout", async () => {
    const out = join(tmp.dir, "report.json");
    const run = await runCli(["--file", file, "--format", "json", "--output", out]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: "", stderr: `jotty-analyze: report written to ${out}\n` });
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    expect(report.llm.calls).toBe(1);
    expect(report.llm.share).toBe(0.6);
  });

  it("--output for the table is plain text, without colour or width limits", async () => {
    const out = join(tmp.dir, "report.txt");
    const run = await runCli(["--file", file, "--output", out], { FORCE_COLOR: "1" });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^1 traces, 2 spans · /);
    expect(readFileSync(out, "utf8")).not.toMatch(/\u001b/);
  });

  it("a file that cannot be written is one line, exit 1", async () => {
    const out = join(tmp.dir, "missing-dir", "report.html");
    const run = await runCli(["--file", file, "--format", "html", "--output", out]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" });
    expect(run.stderr).toBe(`jotty-analyze: cannot write ${out}: ENOENT; nothing written\n`);
    expect(existsSync(out)).toBe(false);
  });
});
