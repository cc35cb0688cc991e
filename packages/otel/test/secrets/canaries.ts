// Canary credentials: one per well-known key shape and one with no known shape (only the request
// that carried it can say it is secret). Every one contains MARKER, which no output may contain.
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

export const MARKER = "CANARY";

export const CANARY = {
  openai: "sk-proj-CANARY0openai0a1b2c3d4e5f6g7h8",
  anthropic: "sk-ant-api03-CANARY0anthropic0a1b2c3d4e5f6",
  google: "AIzaSyCANARY0google0a1b2c3d4e5f6g7h8i9",
  xai: "xai-CANARY0xai0a1b2c3d4e5f6g7h8i9j0k",
  groq: "gsk_CANARY0groq0a1b2c3d4e5f6g7h8i9j0k",
  aws: "AKIACANARY0AWS0KEY12",
  bearer: "CANARY0bearer0token0a1b2c3d4",
  opaque: "opaque-CANARY-7f3a9b2c4d5e",
} as const;

/** How OpenAI quotes a wrong key back in its 401 message: the start, stars, the last four. */
export function maskedAsOpenAI(key: string): string {
  return `${key.slice(0, 12)}${"*".repeat(24)}${key.slice(-4)}`;
}

/** Everything an exporter sends for these spans, as one string to search. */
export function spanText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, links: s.links, status: s.status, resource: s.resource.attributes })),
  );
}
