// jotty.llm.prompt_hash: the same request (model, messages, tools, parameters) always gives the
// same hash, whatever the key order, so repeated prompts can be found without storing them.
import { hash } from "node:crypto";
import type { JsonObject } from "./wire/json.js";

/** Transport switches that do not change what the model is asked. */
const IGNORED_KEYS = new Set(["stream", "stream_options", "user", "metadata", "store", "service_tier"]);

export function promptHash(body: JsonObject, model: string): string {
  // canonicalJson of the body without IGNORED_KEYS and with `model` set, without building that object.
  // ("__proto__" never made it into that object either.)
  const keys = Object.keys(body).filter((key) => !IGNORED_KEYS.has(key) && key !== "__proto__");
  if (!Object.hasOwn(body, "model")) keys.push("model");
  keys.sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = key === "model" ? model : body[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + keyPrefix(key) + canonicalJson(item);
    first = false;
  }
  return hash("sha256", out + "}", "hex").slice(0, 32);
}

// Requests repeat the same few keys (role, content, type, …): quote each once, not per request.
const MAX_KEY_PREFIXES = 1024;
const keyPrefixes = new Map<string, string>();

/** `"key":` as JSON writes it. */
function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = JSON.stringify(key) + ":";
    if (keyPrefixes.size < MAX_KEY_PREFIXES) keyPrefixes.set(key, prefix);
  }
  return prefix;
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
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + keyPrefix(key) + canonicalJson(item);
    first = false;
  }
  return out + "}";
}
