// The app side of the peer benchmark: the real openai client (openai 6, the newest every peer
// supports, loaded with require so the peers' module hooks see it) making chat completions.
import { createRequire } from "node:module";
import type { Mode } from "./protocol.ts";

const require = createRequire(import.meta.url);
type OpenAIClient = InstanceType<typeof import("openai6").OpenAI>;

/** A new client: it takes globalThis.fetch as it is now. */
export function openaiClient(baseURL: string): OpenAIClient {
  const { OpenAI } = require("openai6") as typeof import("openai6");
  return new OpenAI({ apiKey: "sk-bench", baseURL, maxRetries: 0 });
}

const messages = [
  { role: "system" as const, content: "You are a helpful assistant." },
  { role: "user" as const, content: "Invent a new holiday and describe its traditions." },
];

/** One chat completion, read to its end as an app would. */
export async function chatCompletion(client: OpenAIClient, mode: Mode): Promise<void> {
  if (mode === "json") {
    const answer = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, temperature: 0.7 });
    if (!answer.usage) throw new Error("no usage in the answer");
    return;
  }
  const events = await client.chat.completions.create({
    model: "gpt-4.1-nano",
    messages,
    temperature: 0.7,
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage = false;
  for await (const event of events) usage ||= event.usage != null;
  if (!usage) throw new Error("no usage event in the stream");
}

/** CPU (process.cpuUsage) and wall time per call of `count` sequential calls, in µs. */
export async function timed(count: number, call: () => Promise<void>): Promise<{ cpuUs: number; wallUs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / count;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / count, wallUs };
}
