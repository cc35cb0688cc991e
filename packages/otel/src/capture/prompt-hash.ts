// jotty.llm.prompt_hash: the same request (model, messages, tools, parameters) always gives the
// same hash, whatever the key order, so repeated prompts can be found without storing them.
import { createHash } from "node:crypto";
import type { JsonObject } from "./request-body.js";

/** Transport switches that do not change what the model is asked. */
const IGNORED_KEYS = new Set(["stream", "stream_options", "user", "metadata", "store", "service_tier"]);

export function promptHash(body: JsonObject, model: string): string {
  const request: JsonObject = {};
  for (const key of Object.keys(body)) {
    if (!IGNORED_KEYS.has(key)) request[key] = body[key];
  }
  request.model = model;
  return createHash("sha256").update(canonicalJson(request)).digest("hex").slice(0, 32);
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  const object = value as JsonObject;
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== undefined) parts.push(JSON.stringify(key) + ":" + canonicalJson(object[key]));
  }
  return "{" + parts.join(",") + "}";
}
