// `node --import @jotty/otel/register` on the built dist/: a process that made no span and no
// metric has nothing to flush, so its exit neither probes nor posts to the collector; one that
// ends a single span still delivers it to the collector before it exits.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));

interface Collector {
  url: string;
  connections: number;
  traceRequests: number;
  server: Server;
}

async function startCollector(): Promise<Collector> {
  const collector = { url: "", connections: 0, traceRequests: 0 } as Collector;
  collector.server = createServer((req, res) => {
    if (req.url === "/v1/traces") collector.traceRequests++;
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  collector.server.on("connection", () => collector.connections++);
  await new Promise<void>((resolve) => collector.server.listen(0, "127.0.0.1", resolve));
  collector.url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  return collector;
}

function runApp(app: string, endpoint: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", app], {
    cwd: fixtures,
    env: { ...process.env, NODE_OPTIONS: "", OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRICS_EXPORTER: "none", JOTTY_TRACES_FILE: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

describe("the exit of a process that made nothing", () => {
  let collector: Collector | undefined;
  beforeAll(() => {
    if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  });
  afterEach(async () => {
    await new Promise((resolve) => collector?.server.close(resolve));
    collector = undefined;
  });

  it("does not reach the collector at all", async () => {
    collector = await startCollector();
    expect(await runApp("empty-app.mjs", collector.url)).toEqual({ code: 0, stderr: "" });
    expect(collector.connections).toBe(0);
  });

  it("while one span is still exported before exit", async () => {
    collector = await startCollector();
    expect(await runApp("one-span-app.mjs", collector.url)).toEqual({ code: 0, stderr: "" });
    expect(collector.traceRequests).toBe(1);
  });
});
