// Real processes on the built dist/ (run `flock /tmp/jotty-build.lock pnpm build` first): however
// the process ends, the SDK's exit flush lets the CPU profiler slice the segments that just ended
// before it writes the traces file and exports, so the spans carry their jotty.cpu_profile event.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const app = fileURLToPath(new URL("./fixtures/cpu-exit-app.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "jotty-exit-cpu-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface OtlpSpan {
  name: string;
  events?: { name: string; attributes?: { key: string; value: { arrayValue?: { values: { stringValue?: string }[] } } }[] }[];
}

function run(mode: string, env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [app], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      APP_MODE: mode,
      OTEL_METRICS_EXPORTER: "none",
      JOTTY_CPU_PROFILE: "",
      JOTTY_CPU_PROFILE_DIR: join(dir, "profiles"),
      JOTTY_CAPTURE_FETCH: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function spansOf(docs: unknown[]): OtlpSpan[] {
  return (docs as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }[]).flatMap((d) =>
    d.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
  );
}

function fileSpans(file: string): OtlpSpan[] {
  return spansOf(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l)),
  );
}

/** The names in the crunch span's jotty.cpu_profile event (throws when the event is missing). */
function cpuFunctions(spans: OtlpSpan[]): string[] {
  const crunch = spans.filter((s) => s.name === "crunch");
  expect(crunch).toHaveLength(1);
  const event = crunch[0]!.events?.find((e) => e.name === "jotty.cpu_profile");
  expect(event, JSON.stringify(crunch[0])).toBeDefined();
  const functions = event!.attributes?.find((a) => a.key === "jotty.cpu_profile.functions");
  return functions?.value.arrayValue?.values.map((v) => v.stringValue ?? "") ?? [];
}

describe("exit flush with the CPU profiler", () => {
  for (const [mode, expected] of [
    ["end", { code: 0, signal: null }],
    ["exit", { code: 0, signal: null }],
    ["sigterm", { code: null, signal: "SIGTERM" }],
  ] as const) {
    it(`writes the segment with its CPU slice to the traces file (${mode})`, async () => {
      const file = join(dir, `${mode}.jsonl`);
      const result = await run(mode, { JOTTY_TRACES_FILE: file, OTEL_TRACES_EXPORTER: "none" });
      expect(result.stderr).toBe("");
      expect({ code: result.code, signal: result.signal }).toEqual(expected);
      expect(result.stdout).toBe("ended 249181473\n");
      expect(cpuFunctions(fileSpans(file))).toContain("jottyExitFlushBusy");
    });
  }

  it("exports the segment with its CPU slice over OTLP on a normal end", async () => {
    const bodies: unknown[] = [];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (d: string) => (body += d));
      req.on("end", () => {
        if (req.url === "/v1/traces") bodies.push(JSON.parse(body));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await run("end", {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(cpuFunctions(spansOf(bodies))).toContain("jottyExitFlushBusy");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
