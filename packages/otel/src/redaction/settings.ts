// The names the user adds to the redaction rules: JOTTY_REDACT_HEADERS and
// JOTTY_REDACT_QUERY_PARAMS (comma-separated), plus start({ redact }). Process-wide.
import { normalizeName } from "./secret-names.js";

export interface RedactOptions {
  /** More request headers whose values are secrets (added to Authorization, x-api-key, api-key, x-goog-api-key...). */
  headers?: string[];
  /** More URL query parameters whose values are redacted (added to key, token, client_secret, sig...). */
  queryParams?: string[];
}

export interface RedactionSettings {
  readonly headers: ReadonlySet<string>;
  readonly queryParams: ReadonlySet<string>;
}

const KEY = Symbol.for("@jotty/otel.redaction-settings");
type Slot = { settings?: RedactionSettings; options?: RedactOptions; env?: string };
const slot: Slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= {});

function names(fromEnv: string | undefined, fromCode: string[] | undefined): ReadonlySet<string> {
  const all = [...(fromEnv ?? "").split(","), ...(fromCode ?? [])];
  return new Set(all.map((name) => normalizeName(name.trim())).filter((name) => name !== ""));
}

/** Adds the names given in code (start({ redact })) to those of the environment. */
export function configureRedaction(options: RedactOptions | undefined): void {
  slot.options = options;
  slot.settings = undefined;
}

/** The user's extra names; parsed again only when the environment variables change. */
export function redactionSettings(): RedactionSettings {
  const headers = process.env.JOTTY_REDACT_HEADERS;
  const queryParams = process.env.JOTTY_REDACT_QUERY_PARAMS;
  const env = `${headers}\0${queryParams}`;
  if (slot.settings === undefined || slot.env !== env) {
    slot.env = env;
    slot.settings = { headers: names(headers, slot.options?.headers), queryParams: names(queryParams, slot.options?.queryParams) };
  }
  return slot.settings;
}
