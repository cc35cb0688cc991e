// Credentials this process has sent on LLM requests (secret headers, query values). An app error
// or a log line put on any span later may quote one: they are redacted from every span, not only
// from the llm_call of the request that carried them. Bounded: the most recent distinct values.
// Every LLM request hands its credentials here, and they are nearly always ones already known:
// that case only compares a few strings (no sorting, no new list).
import { MIN_SECRET_LENGTH, secretValues } from "./redact-text.js";

const MAX_KNOWN = 32;
const KEY = Symbol.for("@jotty/otel.known-secrets");
/**
 * `recent`: trimmed raw values, oldest first; `withheld`: texts never to record (below), likewise;
 * `sorted`: both with their encoded forms, as redactText wants them.
 */
type Slot = { recent: string[]; withheld: string[]; sorted: readonly string[] };
const slot: Slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= { recent: [], withheld: [], sorted: [] });
slot.withheld ??= [];
const MAX_WITHHELD = 16;

function sortedValues(values: readonly string[]): string[] {
  return secretValues([...values, ...slot.withheld]);
}

/** Adds request secrets (raw header and query values; short ones are ignored). */
export function rememberSecrets(values: Iterable<string>): void {
  const recent = slot.recent;
  let changed = false;
  for (const raw of values) {
    const value = raw.trim();
    if (value.length < MIN_SECRET_LENGTH) continue;
    const at = recent.indexOf(value);
    // Known and among the newer half: nothing to do. Older: moved to the end (same values).
    if (at >= recent.length >> 1) continue;
    if (at !== -1) recent.splice(at, 1);
    else changed = true;
    recent.push(value);
  }
  if (!changed) return;
  if (recent.length > MAX_KNOWN) recent.splice(0, recent.length - MAX_KNOWN);
  slot.sorted = sortedValues(recent);
}

/**
 * A provider's error message seen while content capture is off: it may quote the prompt or the
 * system text (`Invalid content in messages: [{"role":"system","content":"…`). The llm_call
 * records only the error's type and code; the SDK's error built from the same body, recorded by
 * profile(), llmCall() or the app's own span, has the message replaced by REDACTED, as it stands
 * and as JSON-escaped (the Anthropic and Gemini clients quote the whole body as JSON).
 */
export function withholdText(text: string): void {
  const trimmed = text.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) return;
  const forms = [trimmed, JSON.stringify(trimmed).slice(1, -1)];
  const withheld = slot.withheld;
  let changed = false;
  for (const form of forms) {
    if (withheld.includes(form)) continue;
    withheld.push(form);
    changed = true;
  }
  if (!changed) return;
  if (withheld.length > MAX_WITHHELD) withheld.splice(0, withheld.length - MAX_WITHHELD);
  slot.sorted = sortedValues(slot.recent);
}

/** The known secrets, longest first (as redactText wants them). */
export function knownSecrets(): readonly string[] {
  return slot.sorted;
}

function isKnown(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length < MIN_SECRET_LENGTH || slot.recent.includes(trimmed);
}

/** These secrets (raw values) and the known ones, as one redactText list. */
export function withKnownSecrets(secrets: readonly string[]): readonly string[] {
  if (secrets.every(isKnown)) return slot.sorted;
  return sortedValues([...secrets, ...slot.recent]);
}
