// Typed reads of span attributes, tolerant of the string-encoded numbers some exporters write.

import type { Attributes } from "../../model.js";

export const str = (attrs: Attributes, key: string): string | undefined => {
  const v = attrs[key];
  return typeof v === "string" && v !== "" ? v : undefined;
};

export const num = (attrs: Attributes, key: string): number | undefined => {
  const v = attrs[key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
};

/** The first of `keys` the span carries as a number. */
export const firstNum = (attrs: Attributes, ...keys: string[]): number | undefined => {
  for (const key of keys) {
    const v = num(attrs, key);
    if (v !== undefined) return v;
  }
  return undefined;
};

/** The first of `keys` the span carries as a non-empty string. */
export const firstStr = (attrs: Attributes, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const v = str(attrs, key);
    if (v !== undefined) return v;
  }
  return undefined;
};

/**
 * A usage figure as the span carries it, not finite ones only (Infinity, a 1e400 string): the
 * reader refuses those with a warning (plausible.ts) instead of dropping them unseen.
 */
export const figure = (attrs: Attributes, key: string): number | undefined => {
  const v = attrs[key];
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    if (!Number.isNaN(n) || v.trim() === "NaN") return n;
  }
  return undefined;
};

/** The first of `keys` the span carries as a figure. */
export const firstFigure = (attrs: Attributes, ...keys: string[]): number | undefined => {
  for (const key of keys) {
    const v = figure(attrs, key);
    if (v !== undefined) return v;
  }
  return undefined;
};
