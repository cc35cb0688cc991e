import { envNumber } from "./env.js";

/** A number from the environment as the SDK reads it, kept only when positive (else the default applies). */
export function positiveEnv(name: string): number | undefined {
  const value = envNumber(name);
  return value !== undefined && value > 0 ? value : undefined;
}
