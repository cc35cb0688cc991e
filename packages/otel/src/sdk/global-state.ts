// State that must be shared by every copy of this module in one process (two installs, or the
// src/ and dist/ builds loaded side by side), kept on globalThis under a registered symbol.
const KEY = Symbol.for("@jotty/otel.sdk-state");

type GlobalWithState = typeof globalThis & { [KEY]?: Map<string, unknown> };

export function sharedSlot<T>(name: string, create: () => T): T {
  const g = globalThis as GlobalWithState;
  const map = (g[KEY] ??= new Map<string, unknown>());
  if (!map.has(name)) map.set(name, create());
  return map.get(name) as T;
}
