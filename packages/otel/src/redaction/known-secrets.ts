// Credentials this process has sent on LLM requests (secret headers, query values). An app error
// or a log line put on any span later may quote one: they are redacted from every span, not only
// from the llm_call of the request that carried them. Bounded: the most recent distinct values.
import { secretValues } from "./redact-text.js";

const MAX_KNOWN = 32;
const KEY = Symbol.for("@jotty/otel.known-secrets");
type Slot = { recent: string[]; sorted: readonly string[] };
const slot: Slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= { recent: [], sorted: [] });

/** Adds request secrets (raw header and query values; short ones are ignored). */
export function rememberSecrets(values: Iterable<string>): void {
  let changed = false;
  for (const value of secretValues(values)) {
    const at = slot.recent.indexOf(value);
    if (at === slot.recent.length - 1 && at !== -1) continue;
    if (at !== -1) slot.recent.splice(at, 1);
    slot.recent.push(value);
    changed = true;
  }
  if (!changed) return;
  if (slot.recent.length > MAX_KNOWN) slot.recent.splice(0, slot.recent.length - MAX_KNOWN);
  slot.sorted = secretValues(slot.recent);
}

/** The known secrets, longest first (as redactText wants them). */
export function knownSecrets(): readonly string[] {
  return slot.sorted;
}

/** These secrets and the known ones, as one redactText list. */
export function withKnownSecrets(secrets: readonly string[]): readonly string[] {
  if (secrets.length === 0) return slot.sorted;
  if (slot.sorted.length === 0) return secrets;
  return secretValues([...secrets, ...slot.sorted]);
}
