// jotty.llm.prompt_hash: the same request (model, messages, tools, parameters) always gives the
// same hash, whatever the key order, so repeated prompts can be found without storing them.
import { hash } from "node:crypto";
import type { JsonObject } from "./request-body.js";

/** Transport switches that do not change what the model is asked. */
const IGNORED_KEYS = new Set(["stream", "stream_options", "user", "metadata", "store", "service_tier"]);

export function promptHash(body: JsonObject, model: string): string {
  const request: JsonObject = {};
  for (const key of Object.keys(body)) {
    if (!IGNORED_KEYS.has(key)) request[key] = body[key];
  }
  request.model = model;
  return hash("sha256", canonicalJson(request), "hex").slice(0, 32);
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonicalJson(value[i]);
    return out + "]";
  }
  const object = value as JsonObject;
  let out = "{";
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(key) + ":" + canonicalJson(item);
    first = false;
  }
  return out + "}";
}
