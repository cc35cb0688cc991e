// --since / --until values: a duration ("90s", "5m", "1h30m", "2d") meaning that long ago,
// an RFC 3339 timestamp, or "now".

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** Milliseconds of a duration like "1h30m", or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (!DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

// RFC 3339: a date-time carries its offset (Z or ±hh:mm). Without one, JavaScript reads a
// date-time as local time but a bare date as UTC; the analyzer takes neither guess for a time.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/;
const OFFSET = /(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** The instant a --since/--until value names, relative to `now`; undefined when unreadable. */
export function parseInstant(text: string, now: Date): Date | undefined {
  const value = text.trim();
  if (value === "now") return now;
  const ago = parseDuration(value);
  if (ago !== undefined) return new Date(now.getTime() - ago);
  // A date alone is that day's start in UTC (RFC 3339 full-date; it has no offset to give).
  if (DATE.test(value)) return validDate(`${value}T00:00:00Z`);
  if (!DATE_TIME.test(value) || !OFFSET.test(value)) return undefined;
  return validDate(value.replace(" ", "T"));
}

/** Whether the value is a date-time without a UTC offset (a usage error of its own). */
export function lacksOffset(text: string): boolean {
  const value = text.trim();
  return DATE_TIME.test(value) && !OFFSET.test(value);
}

function validDate(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// RFC 3339 years run from 0000 to 9999; traces start after 1970 (OTLP times are unsigned).
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether a --since/--until instant can bound a query: a real date between 1970 and 9999. */
export function isReportableInstant(date: Date): boolean {
  const ms = date.getTime();
  return ms >= 0 && ms <= LAST_MS;
}
