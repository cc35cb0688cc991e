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

/**
 * The forms a secret can take in exported bytes: as it is, URL-encoded (form and path escapes),
 * JSON-escaped, and base64 / base64url at each of the three byte alignments (a secret inside a
 * longer base64 text, such as a Basic credential or a data: URL, shows only those middles).
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), encodeURI(secret), JSON.stringify(secret).slice(1, -1)]);
  for (let offset = 0; offset < 3; offset++) {
    const base64 = Buffer.from("\0".repeat(offset) + secret, "utf8").toString("base64");
    // The first group mixes in the filler bytes and the last may mix in what follows: drop both.
    const middle = base64.slice(offset === 0 ? 0 : 4, -4);
    forms.add(middle);
    forms.add(middle.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...forms];
}

/** Which of the secrets appear in `text` in any encoded form: `name: form` for each hit. */
export function secretsIn(text: string, secrets: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) for (const form of encodedForms(secret)) if (text.includes(form)) hits.push(`${name}: ${form}`);
  return hits;
}
