import { readFileSync } from "node:fs";

/** USD per million tokens. Cache prices default to the input price when absent. */
export interface PriceOverride {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
}

/** Keys are "provider/model" (gen_ai.provider.name and model, e.g. "openai/gpt-4o") or just "model". */
export type PriceOverrides = Record<string, PriceOverride>;

const FIELDS = ["inputPerMTok", "outputPerMTok", "cacheReadPerMTok", "cacheWritePerMTok"] as const;
const REQUIRED = new Set<string>(["inputPerMTok", "outputPerMTok"]);

/** Returns why `value` is not a valid PriceOverride, or undefined when it is. */
export function priceOverrideProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not an object";
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) return `unknown field "${key}" (expected ${FIELDS.join(", ")})`;
  }
  for (const field of FIELDS) {
    const price = record[field];
    if (price === undefined) {
      if (REQUIRED.has(field)) return `missing "${field}"`;
      continue;
    }
    if (typeof price !== "number" || !Number.isFinite(price) || price < 0) {
      return `"${field}" must be a non-negative number`;
    }
  }
  return undefined;
}

let fromFile: PriceOverrides | undefined;
let fromCode: PriceOverrides = {};
let generation = 0;

/** Changes whenever the overrides may have changed, so lookups cached by callers are redone. */
export function priceOverridesGeneration(): number {
  return generation;
}

/**
 * Sets price overrides from code (they win over JOTTY_PRICES and the genai-prices catalog).
 * Merges into earlier ones unless `replace` is true. Throws a TypeError naming a bad entry.
 */
export function setPriceOverrides(overrides: PriceOverrides, options: { replace?: boolean } = {}): void {
  for (const [key, value] of Object.entries(overrides)) {
    const problem = priceOverrideProblem(value);
    if (problem) throw new TypeError(`setPriceOverrides: "${key}": ${problem}`);
  }
  fromCode = options.replace ? { ...overrides } : { ...fromCode, ...overrides };
  generation++;
}

/** Reads JOTTY_PRICES once. A bad file costs one warning line and is otherwise ignored. */
function fileOverrides(): PriceOverrides {
  if (fromFile !== undefined) return fromFile;
  fromFile = {};
  const path = process.env.JOTTY_PRICES;
  if (!path) return fromFile;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    warn(`JOTTY_PRICES=${path} ignored: ${(error as Error).message}`);
    return fromFile;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    warn(`JOTTY_PRICES=${path} ignored: expected a JSON object of {"provider/model": {"inputPerMTok": .., "outputPerMTok": ..}}`);
    return fromFile;
  }
  const bad: string[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const problem = priceOverrideProblem(value);
    if (problem) bad.push(`"${key}" (${problem})`);
    else fromFile[key] = value as PriceOverride;
  }
  if (bad.length > 0) warn(`JOTTY_PRICES=${path}: skipped ${bad.join(", ")}`);
  return fromFile;
}

export function findPriceOverride(provider: string, model: string): PriceOverride | undefined {
  const key = `${provider}/${model}`;
  const file = fileOverrides();
  return fromCode[key] ?? fromCode[model] ?? file[key] ?? file[model];
}

/** Forgets JOTTY_PRICES and code overrides so the next lookup re-reads the environment (tests). */
export function resetPriceOverrides(): void {
  fromFile = undefined;
  fromCode = {};
  generation++;
}

export function warn(message: string): void {
  process.emitWarning(message, { code: "JOTTY_PRICES" });
}
