// One 20 MB server-sent event (a huge content delta) in an otherwise ordinary stream, read raw from
// response.body with the fetch capture on and off, in back-to-back pairs. The capture holds an
// unfinished event as pieces and searches only new chunks for event ends, so the event costs time
// linear in its size (before: the SSE parser re-joined and re-scanned everything pending on every
// chunk, 103 s for this event). Rows: OpenAI Chat (the event passes through the tail window) and
// OpenAI Responses (through the SSE parser). Target: ≤ 1.5× the uninstrumented read.
// The server runs in a child process (this file with --server). Run: pnpm bench sse-large-event.
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { serveForParent, spawnServer, startWithoutCapture } from "./capture-bench-env.ts";
import { median, pairedRounds } from "./stats.ts";

const EVENT_BYTES = 20 * 1024 * 1024;
const ROUNDS = 7;
const TARGET = 1.5;
const fixtures = fileURLToPath(new URL("../fixtures/llm/", import.meta.url));

function chatStream(): Buffer[] {
  const events = readFileSync(fixtures + "openai-chat/openai-text.chunks.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const huge = JSON.stringify({
    id: "chatcmpl-huge",
    object: "chat.completion.chunk",
    model: "gpt-4.1-nano",
    choices: [{ index: 0, delta: { content: "x".repeat(EVENT_BYTES) }, finish_reason: null }],
  });
  return [...events.slice(0, 2), huge, ...events.slice(-2)].map((e) => Buffer.from(`data: ${e}\n\n`)).concat(Buffer.from("data: [DONE]\n\n"));
}

function responsesStream(): Buffer[] {
  const frame = (type: string, body: object) => Buffer.from(`event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`);
  const response = { id: "resp_huge", model: "gpt-5-mini", status: "completed", usage: { input_tokens: 10, output_tokens: 20 } };
  return [
    frame("response.created", { response: { ...response, status: "in_progress", usage: null } }),
    frame("response.output_text.delta", { item_id: "msg_1", output_index: 0, content_index: 0, delta: "x".repeat(EVENT_BYTES) }),
    frame("response.completed", { response }),
  ];
}

if (process.argv.includes("--server")) {
  const streams: Record<string, Buffer[]> = { "/v1/chat/completions": chatStream(), "/v1/responses": responsesStream() };
  const send = (res: ServerResponse, frames: Buffer[]) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const frame of frames) res.write(frame);
    res.end();
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => send(res, streams[req.url ?? ""] ?? []));
  });
  serveForParent(server);
} else {
  await main();
}

async function main(): Promise<void> {
  const { shutdown, installFetchCapture } = await startWithoutCapture();
  const { child, port } = await spawnServer(fileURLToPath(import.meta.url));
  const gc = (globalThis as { gc?: () => void }).gc;

  const read = async (path: string, body: string): Promise<number> => {
    gc?.();
    const t0 = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const reader = response.body!.getReader();
    let bytes = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
    if (bytes < EVENT_BYTES) throw new Error(`short read: ${bytes} bytes`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const rows: Array<[string, string, string]> = [
    [
      "OpenAI Chat, 20 MB content delta (tail window)",
      "/v1/chat/completions",
      JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } }),
    ],
    ["OpenAI Responses, 20 MB output_text.delta (SSE parser)", "/v1/responses", JSON.stringify({ model: "gpt-5-mini", input: "hi", stream: true })],
  ];
  let over = false;
  for (const [title, path, body] of rows) {
    const measure = async (capture: boolean) => {
      const uninstall = capture ? installFetchCapture() : () => {};
      const ms = await read(path, body);
      uninstall();
      return ms;
    };
    await measure(false);
    await measure(true);
    const { off, on } = await pairedRounds(ROUNDS, measure);
    const ratio = median(on.map((x, i) => x / off[i]!));
    if (ratio > TARGET) over = true;
    console.log(`${title}, ${ROUNDS} paired rounds, medians:`);
    console.log(`  undici instrumentation alone  ${median(off).toFixed(0).padStart(6)} ms`);
    console.log(`  + fetch capture               ${median(on).toFixed(0).padStart(6)} ms`);
    console.log(`  ratio ${ratio.toFixed(2)} (target ≤ ${TARGET}): ${ratio <= TARGET ? "ok" : "OVER TARGET"}`);
  }
  child.disconnect();
  child.kill();
  await shutdown();
  if (over) process.exitCode = 1;
}
