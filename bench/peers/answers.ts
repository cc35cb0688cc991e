// The answers the peer benchmark's server gives, cut from recorded OpenAI Chat Completions
// responses (fixtures/llm/openai-chat): a ≈1 KB JSON body and a 200-event SSE stream whose last
// event carries the usage (as with stream_options.include_usage).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../fixtures/llm/openai-chat/", import.meta.url));
export const JSON_ANSWER_BYTES = 1024;
export const STREAM_EVENTS = 200;

/** The usage each answer reports, which every contender's LLM span must carry. */
export const EXPECTED_TOKENS = {
  json: { input: 16, output: 363 },
  stream: { input: 16, output: 300 },
} as const;

/** The recorded completion, its text shortened so the compact body is at most JSON_ANSWER_BYTES long. */
export function jsonAnswer(): Buffer {
  const recorded = JSON.parse(readFileSync(dir + "openai-text.json", "utf8"));
  const message = recorded.choices[0].message;
  const full: string = message.content;
  message.content = "";
  // Escapes (\n, \u2014) make the encoded text longer than the text: shorten until it fits.
  let room = JSON_ANSWER_BYTES - Buffer.byteLength(JSON.stringify(recorded));
  for (;;) {
    message.content = full.slice(0, room);
    const body = Buffer.from(JSON.stringify(recorded));
    if (body.length <= JSON_ANSWER_BYTES) return body;
    room -= body.length - JSON_ANSWER_BYTES;
  }
}

/** The recorded stream's first content events, then its finish event and its usage event, as SSE frames. */
export function streamAnswer(): Buffer[] {
  const payloads = readFileSync(dir + "openai-text.chunks.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const [finish, usage] = payloads.slice(-2);
  if (!JSON.parse(usage!).usage || JSON.parse(finish!).choices[0].finish_reason !== "stop")
    throw new Error("recorded stream does not end with finish + usage events");
  const events = [...payloads.slice(0, STREAM_EVENTS - 2), finish!, usage!];
  return [...events.map((p) => Buffer.from(`data: ${p}\n\n`)), Buffer.from("data: [DONE]\n\n")];
}
