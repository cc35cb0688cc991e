// Cost of the zero-code LLM capture on fetch, against the undici HTTP instrumentation alone,
// on the start() pipeline (context manager, batching exporter that discards):
//  - per-request time of a non-streaming LLM-shaped request (a recorded chat completion);
//  - streaming throughput in SSE chunks per second (a recorded 302-chunk stream, read raw,
//    the worst case for relative overhead: the app does nothing but read).
// The LLM server runs in a child process (this file with --server) so its CPU is not billed to
// the client. Targets: ≤ 5 % added per request, ≥ 0.97 throughput ratio.
// Run: pnpm bench fetch-capture (builds first; imports the built dist/).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const fixtures = fileURLToPath(new URL("../../shared/fixtures/llm/", import.meta.url));

if (process.argv.includes("--server")) {
  const json = readFileSync(fixtures + "openai-chat/openai-text.json");
  const frames = readFileSync(fixtures + "openai-chat/openai-text.chunks.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => Buffer.from(`data: ${l}\n\n`));
  frames.push(Buffer.from("data: [DONE]\n\n"));
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/v1/stream/chat/completions") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const frame of frames) res.write(frame);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json", "content-length": json.length });
        res.end(json);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
  process.on("disconnect", () => process.exit(0));
} else {
  await main();
}

async function main(): Promise<void> {
  process.env.OTEL_METRICS_EXPORTER = "none";
  process.env.OTEL_TRACES_EXPORTER = "none";
  process.env.JOTTY_TRACES_FILE = "";
  process.env.JOTTY_CAPTURE_FETCH = "false";
  const { start, shutdown } = await import("../packages/otel/dist/sdk/start.js");
  const { installFetchCapture } = await import("../packages/otel/dist/capture/index.js");
  const { startLlmCall } = await import("../packages/otel/dist/llm/llm-call.js");
  const { default: OpenAI } = await import("openai");
  start({ traceExporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } });

  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--server"], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
  const base = `http://127.0.0.1:${port}/v1`;
  const chatBody = JSON.stringify({
    model: "gpt-4.1-nano",
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Invent a new holiday and describe its traditions." },
    ],
    temperature: 0.7,
  });
  const streamBody = JSON.stringify({ ...JSON.parse(chatBody), stream: true, stream_options: { include_usage: true } });
  const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

  const request = async (): Promise<void> => {
    const response = await fetch(`${base}/chat/completions`, { method: "POST", headers, body: chatBody });
    await response.json();
  };
  let chunks = 0;
  const stream = async (): Promise<void> => {
    const response = await fetch(`${base}/stream/chat/completions`, { method: "POST", headers, body: streamBody });
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Count SSE events the way an app's parser would see them.
      for (let i = 0; i < value.length - 1; i++) if (value[i] === 10 && value[i + 1] === 10) chunks++;
    }
  };

  /** The same stream read by the openai client, as an app would. */
  const sdkStream = async (): Promise<void> => {
    const client = new OpenAI({ apiKey: "sk-bench", baseURL: `${base}/stream`, maxRetries: 0 });
    const events = await client.chat.completions.create({ ...JSON.parse(streamBody), stream: true });
    for await (const _ of events) chunks++;
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  /** Runs `fn` `count` times; returns ns per call. */
  async function round(fn: () => Promise<void>, count: number): Promise<number> {
    gc?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await fn();
    return Number(process.hrtime.bigint() - t0) / count;
  }
  /** Alternates capture off/on round by round so drift hits both alike. */
  async function compare(fn: () => Promise<void>, count: number, rounds: number): Promise<{ off: number; on: number; offChunks: number; onChunks: number }> {
    const off: number[] = [];
    const on: number[] = [];
    let offChunks = 0;
    let onChunks = 0;
    for (let w = 0; w < 3; w++) {
      await round(fn, count);
      const uninstall = installFetchCapture();
      await round(fn, count);
      uninstall();
    }
    for (let r = 0; r < rounds; r++) {
      chunks = 0;
      off.push(await round(fn, count));
      offChunks += chunks;
      const uninstall = installFetchCapture();
      chunks = 0;
      on.push(await round(fn, count));
      onChunks += chunks;
      uninstall();
    }
    return { off: median(off), on: median(on), offChunks, onChunks };
  }

  const req = await compare(request, 200, 15);
  const added = req.on / req.off - 1;
  console.log("Non-streaming chat completion (2.6 KB JSON), 200 requests × 15 rounds, median per request:");
  console.log(`  undici instrumentation alone  ${(req.off / 1000).toFixed(1).padStart(7)} µs`);
  console.log(`  + fetch capture               ${(req.on / 1000).toFixed(1).padStart(7)} µs   (+${((req.on - req.off) / 1000).toFixed(1)} µs)`);
  console.log(`  added per request: ${(added * 100).toFixed(2)} % (target ≤ 5 %): ${added <= 0.05 ? "ok" : "OVER TARGET"}`);

  const str = await compare(stream, 20, 15);
  const framesPerStream = str.offChunks / (20 * 15);
  const offRate = framesPerStream / (str.off / 1e9);
  const onRate = (str.onChunks / (20 * 15)) / (str.on / 1e9);
  const ratio = onRate / offRate;
  console.log(`Streaming chat completion (${framesPerStream.toFixed(0)} SSE chunks, 98 KB), 20 streams × 15 rounds, median:`);
  console.log(`  undici instrumentation alone  ${offRate.toFixed(0).padStart(8)} chunks/s`);
  console.log(`  + fetch capture               ${onRate.toFixed(0).padStart(8)} chunks/s`);
  console.log(`  throughput ratio: ${ratio.toFixed(3)} (target ≥ 0.97): ${ratio >= 0.97 ? "ok" : "UNDER TARGET"}`);

  const sdk = await compare(sdkStream, 20, 15);
  const sdkOff = sdk.offChunks / (20 * 15) / (sdk.off / 1e9);
  const sdkOn = sdk.onChunks / (20 * 15) / (sdk.on / 1e9);
  console.log(`The same stream read through the openai client (a new client per stream, created after install):`);
  console.log(`  undici instrumentation alone  ${sdkOff.toFixed(0).padStart(8)} chunks/s`);
  console.log(`  + fetch capture               ${sdkOn.toFixed(0).padStart(8)} chunks/s`);
  console.log(`  throughput ratio: ${(sdkOn / sdkOff).toFixed(3)} (target ≥ 0.97): ${sdkOn / sdkOff >= 0.97 ? "ok" : "UNDER TARGET"}`);

  // Where the per-request cost goes: the llm_call span itself (tokens, cost lookup, metrics).
  const spanOnly = await round(async () => {
    const call = startLlmCall({ provider: "openai", model: "gpt-4.1-nano" });
    call.handle.setResponse({ model: "gpt-4.1-nano-2025-04-14" });
    call.handle.setUsage({ inputTokens: 16, outputTokens: 363 });
    call.end();
  }, 2000);
  console.log(`Of which the llm_call span with usage and cost (llm module, no HTTP): ${(spanOnly / 1000).toFixed(1)} µs per call`);

  child.disconnect();
  child.kill();
  await shutdown();
}
