// One line on stderr per problem: the CPU profiler never throws into the app.
const said = new Set<string>();

export function warnOnce(message: string): void {
  if (said.has(message)) return;
  said.add(message);
  process.stderr.write(`@jotty/otel CPU profile: ${message}\n`);
}

/** A positive number from an environment variable; a bad value is reported and ignored. */
export function positiveFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n > 0) return n;
  warnOnce(`${name}=${JSON.stringify(raw)} is not a positive number; using the default`);
  return undefined;
}
