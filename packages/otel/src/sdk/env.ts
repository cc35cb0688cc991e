// Environment values read exactly as @opentelemetry/core's env helpers read them (blank is unset,
// lists split on commas, a value that does not parse is ignored with a diag warning), for the
// start-up path: core's entry point is about 30 modules, loaded only once a span is made.
import { diag } from "@opentelemetry/api";

export function envString(name: string): string | undefined {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === "" ? undefined : raw;
}

export function envList(name: string): string[] | undefined {
  return envString(name)
    ?.split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

export function envNumber(name: string): number | undefined {
  const raw = envString(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isNaN(value)) return value;
  diag.warn(`Unknown value ${JSON.stringify(raw)} for ${name}, expected a number, using defaults`);
  return undefined;
}

export function envBoolean(name: string): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  diag.warn(`Unknown value ${JSON.stringify(raw)} for ${name}, expected 'true' or 'false', falling back to 'false' (default)`);
  return false;
}
