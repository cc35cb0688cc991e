// jotty-analyze against figures no provider or clock produces, and --since/--until times without
// an offset (issue 24), through the built CLI as a user runs it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtures } from "../sources/helpers.js";
import { expectOneLineError, runCli } from "./run-cli.js";

const hostile = join(fixtures, "hostile", "impossible-figures.jsonl");
const TRACE = "0af7651916cd43dd8448eb211c80319c";

describe("a traces file with impossible figures", () => {
  it("sums only what a provider can return and says what it refused, one line per kind", async () => {
    const run = await runCli(["--file", hostile, "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ traces: 1, spans: 6, wallMs: 1000 });
    // Plausible: 1000 + 10 input, 100 + 50 + 10 + 10 output tokens; recorded costs 0.01 + 0.002,
    // the refused ones priced from the catalog: 50 gpt-4o output tokens ($0.0005) and 10 + 10 ($0.000125).
    expect(report.llm).toMatchObject({ calls: 5, inputTokens: 1010, outputTokens: 170, costUsd: 0.012625 });
    expect(report.warnings).toEqual([
      `4 token count(s) no provider returns (negative, fractional or over 10^9 in one call): refused, read as not recorded (e.g. span b000000000000002 of trace ${TRACE}: input tokens -999900, cost $-0.075)`,
      `3 cost(s) no provider bills (negative, not finite or over $1,000,000 for one call): refused, the call priced from its tokens instead (e.g. span b000000000000002 of trace ${TRACE}: input tokens -999900, cost $-0.075)`,
      `2 span(s) with times no clock produces (after 2200-01-01T00:00:00.000Z or lasting over 7 d): left out (e.g. span c000000000000001 of trace ${TRACE}: ends 2262-04-11T23:47:16.854Z, lasts 86334.2 d)`,
      "1 LLM call(s) recorded no token usage (a stream without usage, a failed call, or an instrumentation that does not record it): counted with 0 tokens and no cost, not estimated",
    ]);
  });

  it("the table shows no negative or astronomical figure", async () => {
    const run = await runCli(["--file", hostile]);
    expect(run.code, run.stderr).toBe(0);
    const summary = run.stdout.split("\n").slice(0, 4).join("\n");
    expect(summary).toContain("Wall time 1.00 s");
    expect(summary).toContain("5 LLM calls · 1010 input tokens (0 cached) · 170 output tokens · $0.013");
    expect(summary).not.toMatch(/\$-|e\+\d| -\d/);
  });

  it("--max-span makes the plausible span longer", async () => {
    const run = await runCli(["--file", hostile, "--format", "json", "--max-span", "100000d"]);
    expect(run.code, run.stderr).toBe(0);
    // The int64 end (86,334 days) now passes the length check; both ends are still past 2200.
    expect(JSON.parse(run.stdout).warnings[2]).toMatch(/^2 span\(s\) with times no clock produces \(after 2200-01-01T00:00:00.000Z or lasting over 100000 d\)/);
  });
});

describe("--since/--until times need their offset", () => {
  for (const value of ["2026-12-07T17:00:00", "2026-12-07T17:00", "2026-12-07 17:00:00.5"]) {
    it(`${value}: one usage line, exit 2`, async () => {
      expectOneLineError(
        await runCli(["--since", value]),
        2,
        /option '--since <when>' argument '.*' is invalid\. an RFC 3339 time needs its UTC offset: add Z for UTC \(2026-12-07T17:00:00Z\) or the offset \(\+01:00\)/,
      );
    });
  }

  it("the same instant with Z, with an offset, and a bare date at midnight UTC", async () => {
    const window = async (since: string, until: string) => {
      const run = await runCli(["--file", hostile, "--since", since, "--until", until, "--format", "json"], { TZ: "America/New_York" });
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).window;
    };
    expect(await window("2025-11-25T19:00:00Z", "2025-11-25T22:00:00+01:00")).toEqual({ start: "2025-11-25T19:00:00.000Z", end: "2025-11-25T21:00:00.000Z" });
    expect(await window("2025-11-25", "2025-11-26")).toEqual({ start: "2025-11-25T00:00:00.000Z", end: "2025-11-26T00:00:00.000Z" });
  });
});
