// jotty-analyze as a real child process against hostile input and hostile surroundings:
// out-of-range windows, credentials and headers, closed pipes, full disks, escape sequences.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { jaegerHandler, spreadTraces, startFakeJaeger, type FakeJaeger } from "../sources/fake-jaeger.js";
import { tempDir } from "../sources/helpers.js";
import { CLI, closedPortUrl, expectOneLineError, runCli } from "./run-cli.js";
import { otlpLine, sid, tid } from "./traces.js";

const tmp = tempDir();
let jaeger: FakeJaeger | undefined;
afterEach(() => jaeger?.close().then(() => (jaeger = undefined)));
afterAll(() => tmp.cleanup());

const bigFile = () => {
  const spans = Array.from({ length: 400 }, (_, i) => ({ traceId: tid(1 + (i % 40)), spanId: sid(i + 1), name: `operation-${i}`, startMs: i, endMs: i + 5 }));
  return tmp.write("many.jsonl", `${otlpLine(spans)}\n`);
};

describe("out-of-range --since/--until are usage errors (exit 2)", () => {
  for (const args of [
    ["--since", "999999999999w"],
    ["--until", "2100000000d"],
    ["--since", "99999999d"],
    ["--since", "1969-12-31T00:00:00Z"],
  ]) {
    it(args.join(" "), async () => {
      expectOneLineError(await runCli(args), 2, /out of range: the time must fall between 1970 and 9999/);
    });
  }
});

describe("credentials are never printed", () => {
  it("an invalid --jaeger URL with a password: exit 2, the password not echoed", async () => {
    const run = await runCli(["--jaeger", "ftp://reader:hunter2@jaeger:16686"]);
    expectOneLineError(run, 2, /option '--jaeger <url>': expected an http\(s\) URL/);
    expect(run.stderr).not.toContain("hunter2");
  });

  it("an unreachable Jaeger with a password in its URL: exit 1, the password not echoed", async () => {
    const url = (await closedPortUrl()).replace("http://", "http://reader:hunter2@");
    const run = await runCli(["--source", "jaeger", "--jaeger", url]);
    expectOneLineError(run, 1, /^jotty-analyze: Jaeger at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(run.stderr).not.toContain("hunter2");
  });

  it("a malformed --header is exit 2 without its value", async () => {
    const run = await runCli(["--header", "Authorization Bearer sk-canary-123", "--file", bigFile()]);
    expectOneLineError(run, 2, /--header expects 'Name: value'/);
    expect(run.stderr).not.toContain("sk-canary-123");
  });

  it("--header and JAEGER_HEADERS reach Jaeger; the report names it without credentials", async () => {
    const now = Date.now();
    const seen: unknown[][] = [];
    const serve = jaegerHandler(spreadTraces("agent", 3, now - 30 * 60_000, now - 60_000));
    jaeger = await startFakeJaeger((url, res) => {
      seen.push([res.req.headers.authorization, res.req.headers["x-tenant"], res.req.headers["x-extra"]]);
      return serve(url, res);
    });
    const url = jaeger.url.replace("http://", "http://reader:hunter2@");
    const run = await runCli(["--source", "jaeger", "--jaeger", url, "--header", "X-Tenant: team a", "--format", "json"], {
      JAEGER_HEADERS: "authorization=Bearer%20t0ken,x-extra=1",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("hunter2");
    const report = JSON.parse(run.stdout);
    expect(report.traces).toBe(3);
    expect(report.source.location).toBe(jaeger.url);
    expect(report.slowestTraces[0].url).toBe(`${jaeger.url}/trace/${report.slowestTraces[0].traceId}`);
    expect(new Set(seen.map((h) => JSON.stringify(h)))).toEqual(new Set([JSON.stringify(["Bearer t0ken", "team a", "1"])]));
  });
});

describe("stdout that cannot take the report", () => {
  it("a closed pipe (| head) ends quietly with exit 0", async () => {
    const child = spawn(process.execPath, [CLI, "--file", bigFile()], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the report is written
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  });

  it("a full disk (/dev/full) is one line and exit 1", async () => {
    const full = openSync("/dev/full", "w");
    try {
      const child = spawn(process.execPath, [CLI, "--file", bigFile()], { stdio: ["ignore", full, "pipe"] });
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect({ code, stderr }).toEqual({ code: 1, stderr: "jotty-analyze: cannot write the report to stdout: no space left on device\n" });
    } finally {
      closeSync(full);
    }
  });
});

describe("error lines cannot drive the terminal", () => {
  it("escape sequences in a Jaeger error body are shown as escapes", async () => {
    jaeger = await startFakeJaeger((_url, res) => {
      res.writeHead(500).end('{"error":{"message":"boom \\u001b[2J\\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007"}}');
      return true;
    });
    const run = await runCli(["--source", "jaeger", "--jaeger", jaeger.url]);
    expectOneLineError(run, 1, /HTTP 500: boom \\x1b\[2J\\x1b\]8;;http:\/\/evil\\x07click/);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe("a window with nothing in it still reports the file's problems", () => {
  it("the unreadable line is a warning next to 'none in this window'", async () => {
    const file = tmp.write("window.jsonl", `${otlpLine([{ traceId: tid(1), spanId: sid(1), name: "a", startMs: 0, endMs: 5 }])}\n{broken\n`);
    const run = await runCli(["--file", file, "--since", "1h", "--format", "json"]);
    expect(run.code).toBe(0);
    const warnings: string[] = JSON.parse(run.stdout).warnings;
    expect(warnings).toContain("unreadable JSON line skipped (window.jsonl line 2)");
    expect(warnings.some((w) => w.includes("none in this window"))).toBe(true);
  });
});
