// --output when the disk refuses the bytes part way (issue 24): one line, exit 1, and no half
// report — the previous file stays as it was, no temporary file is left. The failure is real:
// the CLI runs under a 2 KiB file-size limit (ulimit -f, SIGXFSZ ignored), so write() stops
// with EFBIG after the first 2 KiB, as a full disk stops with ENOSPC.
import { execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../sources/helpers.js";
import { CLI, runCli, type CliRun } from "./run-cli.js";
import { otlpLine, sid, tid } from "./traces.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const file = tmp.write("run.jsonl", `${otlpLine([{ traceId: tid(1), spanId: sid(1), name: "run", startMs: 0, endMs: 1000 }])}\n`);

/** The CLI with writes limited to `kib` KiB per file. */
function runLimited(kib: number, args: string[]): Promise<CliRun> {
  const script = `trap '' XFSZ; ulimit -f ${kib}; exec "$0" "$@"`;
  const child = spawn("/bin/bash", ["-c", script, process.execPath, CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("--output that cannot be written whole", () => {
  it("leaves no file and no temporary file; one line, exit 1", async () => {
    const out = join(tmp.dir, "new-report.html");
    const run = await runLimited(2, ["--file", file, "--format", "html", "--output", out]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: `jotty-analyze: cannot write ${out}: EFBIG (file too large); nothing written\n` });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps the previous report as it was", async () => {
    const out = join(tmp.dir, "report.html");
    writeFileSync(out, "the previous report\n");
    const run = await runLimited(2, ["--file", file, "--format", "html", "--output", out]);
    expect(run.code).toBe(1);
    expect(readFileSync(out, "utf8")).toBe("the previous report\n");
  });

  it("a report that fits replaces the previous one whole", async () => {
    const out = join(tmp.dir, "replaced.json");
    writeFileSync(out, "old");
    const run = await runCli(["--file", file, "--format", "json", "--output", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).spans).toBe(1);
  });

  it("a named pipe (as /dev/stdout can be) is written in place, not renamed over", async () => {
    const fifo = join(tmp.dir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<void>((resolve, reject) => {
      createReadStream(fifo)
        .on("data", (d) => chunks.push(d as Buffer))
        .on("end", resolve)
        .on("error", reject);
    });
    const run = await runCli(["--file", file, "--format", "json", "--output", fifo]);
    await read;
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8")).spans).toBe(1);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
