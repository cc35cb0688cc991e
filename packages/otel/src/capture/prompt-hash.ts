// jotty.llm.prompt_hash: the same request (model, messages, tools, parameters) always gives the
// same hash, whatever the key order, so repeated prompts can be found without storing them.
import { hash } from "node:crypto";
import type { JsonObject } from "./wire/json.js";

/** Transport switches that do not change what the model is asked. */
const IGNORED_KEYS = new Set(["stream", "stream_options", "user", "metadata", "store", "service_tier"]);

export function promptHash(body: JsonObject, model: string): string {
  // canonicalJson of the body without IGNORED_KEYS and with `model` set, without building that object.
  // ("__proto__" never made it into that object either.)
  const keys = Object.keys(body);
  if (!Object.hasOwn(body, "model")) keys.push("model");
  sortKeys(keys);
  let out = "{";
  let first = true;
  for (const key of keys) {
    if (IGNORED_KEYS.has(key) || key === "__proto__") continue;
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
  sortKeys(keys);
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + keyPrefix(key) + canonicalJson(item);
    first = false;
  }
  return out + "}";
}

/**
 * Sorts keys in place as Array.prototype.sort() would (UTF-16 code unit order). Request objects
 * have a handful of keys: an insertion sort needs no scratch array, where sort() allocates one
 * per object, for every message of every request.
 */
export function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
}
