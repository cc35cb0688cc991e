// One contender of the peer benchmark, in its own process: `node contender-process.ts <index> <port>`.
// Starts the contender's telemetry, then the real openai client (openai 6, the newest every peer
// supports, loaded with require so the peers' module hooks see it), checks the spans of a few
// requests, then runs the batches its parent asks for over IPC and answers with CPU and wall time.
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { createRequire } from "node:module";
import { EXPECTED_TOKENS } from "./answers.ts";
import { CONTENDERS } from "./contenders.ts";
import { checkRequests, type RequestCheck } from "./llm-spans.ts";
import type { Batch, ChildMessage, Mode } from "./protocol.ts";

const contender = CONTENDERS[Number(process.argv[2])]!;
const port = Number(process.argv[3]);
const VERIFY_REQUESTS = 4;

const ended: ReadableSpan[] = [];
let verifying = true;
const verifier: SpanProcessor = {
  onStart: (_span: Span) => {},
  onEnd: (span: ReadableSpan) => {
    if (verifying) ended.push(span);
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
const dropping: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
await contender.setUp(dropping, verifier);

const require = createRequire(import.meta.url);
const { OpenAI } = require("openai6") as typeof import("openai6");
const client = new OpenAI({ apiKey: "sk-bench", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
const messages = [
  { role: "system" as const, content: "You are a helpful assistant." },
  { role: "user" as const, content: "Invent a new holiday and describe its traditions." },
];

async function request(mode: Mode): Promise<void> {
  if (mode === "json") {
    const answer = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, temperature: 0.7 });
    if (!answer.usage) throw new Error("no usage in the answer");
    return;
  }
  const events = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, temperature: 0.7, stream: true, stream_options: { include_usage: true } });
  let usage = false;
  for await (const event of events) usage ||= event.usage != null;
  if (!usage) throw new Error("no usage event in the stream");
}

/** Spans end asynchronously after the response for some instrumentations: wait for the macrotask queue to drain once. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function verify(mode: Mode): Promise<RequestCheck> {
  ended.length = 0;
  for (let i = 0; i < VERIFY_REQUESTS; i++) await request(mode);
  await settle();
  return checkRequests([...ended], VERIFY_REQUESTS, EXPECTED_TOKENS[mode]);
}

async function batch({ mode, count }: Batch): Promise<{ cpuUs: number; wallUs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await request(mode);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / count;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / count, wallUs };
}

const send = (message: ChildMessage) => process.send!(message);
const checks = { json: await verify("json"), stream: await verify("stream") };
verifying = false;
ended.length = 0;
send({ kind: "ready", checks });
process.on("message", (message: Batch | { kind: "exit" }) => {
  if (message.kind === "exit") {
    send({ kind: "rss", maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect();
    return;
  }
  batch(message).then(
    (result) => send({ kind: "result", ...result }),
    (error: Error) => send({ kind: "error", message: error.message }),
  );
});
