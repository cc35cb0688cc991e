// Shared by the capture benchmarks (not a benchmark itself): the start() pipeline with a
// discarding exporter and the fetch capture left for the benchmark to install per round, and the
// LLM server run in a child process (the benchmark's own file with --server) so its CPU is not
// billed to the client.
import { spawn, type ChildProcess } from "node:child_process";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function startWithoutCapture() {
  process.env.OTEL_METRICS_EXPORTER = "none";
  process.env.OTEL_TRACES_EXPORTER = "none";
  process.env.JOTTY_TRACES_FILE = "";
  process.env.JOTTY_CAPTURE_FETCH = "false";
  const { start, shutdown } = await import("../packages/otel/dist/wiring/start.js");
  const { installFetchCapture } = await import("../packages/otel/dist/capture/index.js");
  start({ traceExporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } });
  return { shutdown, installFetchCapture };
}

/** In the --server child: listen on a free port, tell the parent, end with it. */
export function serveForParent(server: Server): void {
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
  process.on("disconnect", () => process.exit(0));
}

/** Runs `file --server`; resolves the port its server listens on. */
export async function spawnServer(file: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [file, "--server"], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { child, port };
}
