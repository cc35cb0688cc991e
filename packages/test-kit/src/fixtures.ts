// The recorded provider responses in fixtures/llm, framed as each provider sends them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../../fixtures/llm/", import.meta.url));

export function fixtureBytes(name: string): Buffer {
  return readFileSync(dir + name);
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString("utf8"));
}

/** The `data:` payloads of a `*.chunks.txt` file, one per line. */
export function fixtureEvents(name: string): string[] {
  return fixtureBytes(name)
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

export type SseFlavor = "openai" | "responses" | "anthropic" | "gemini";

/** Server-sent-event frames as each provider writes them (event names, [DONE], CRLF for Gemini). */
export function sseFrames(name: string, flavor: SseFlavor): Buffer[] {
  const events = fixtureEvents(name);
  const frames = events.map((data) => {
    switch (flavor) {
      case "openai":
        return `data: ${data}\n\n`;
      case "gemini":
        return `data: ${data}\r\n\r\n`;
      case "responses":
      case "anthropic": {
        const type = (JSON.parse(data) as { type: string }).type;
        return `event: ${type}\ndata: ${data}\n\n`;
      }
      default:
        throw new Error(`unknown SSE flavor ${String(flavor satisfies never)}`);
    }
  });
  if (flavor === "openai") frames.push("data: [DONE]\n\n");
  return frames.map((frame) => Buffer.from(frame, "utf8"));
}
