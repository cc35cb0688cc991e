// Cost of profile() around an empty async function, against a raw tracer.startActiveSpan on the
// same SDK pipeline (start(): context manager, span processors, a batching exporter that
// discards) and against a bare call. Target: profile() ≤ 1.15 × raw span.
// Run: pnpm bench profile-overhead (builds first; imports the built dist/).
import { trace, type Span } from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace";

process.env.OTEL_METRICS_EXPORTER = "none";
process.env.OTEL_TRACES_EXPORTER = "none";
process.env.JOTTY_TRACES_FILE = "";
process.env.JOTTY_CAPTURE_FETCH = "false";

const { start, shutdown } = await import("../packages/otel/dist/sdk/start.js");
const { profile } = await import("../packages/otel/dist/segments/profile.js");

const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 /* ExportResultCode.SUCCESS */ }),
  shutdown: async () => {},
};
start({ traceExporter: discard });

const tracer = trace.getTracer("bench");
const empty = async (): Promise<number> => 1;

const variants: Record<string, () => Promise<unknown>> = {
  "bare call": () => empty(),
  "raw startActiveSpan": () =>
    tracer.startActiveSpan("raw", async (span: Span) => {
      try {
        return await empty();
      } finally {
        span.end();
      }
    }),
  "profile()": () => profile("segment", empty),
};

const CALLS = 5_000;
const ROUNDS = 25;
const gc = (globalThis as { gc?: () => void }).gc;

async function round(fn: () => Promise<unknown>): Promise<number> {
  gc?.();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

// Warm-up, then rounds interleaved so drift (GC, JIT, the other CPU users) hits every variant alike.
for (const fn of Object.values(variants)) for (let i = 0; i < 3; i++) await round(fn);
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of Object.entries(variants)) samples[name]!.push(await round(fn));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const raw = med["raw startActiveSpan"]!;
const bare = med["bare call"]!;
console.log(`${CALLS} calls × ${ROUNDS} rounds, median ns per call:`);
for (const [name, ns] of Object.entries(med)) {
  console.log(`  ${name.padEnd(22)} ${ns.toFixed(0).padStart(7)} ns   ${(ns / raw).toFixed(3)} × raw   ${(ns - bare).toFixed(0).padStart(6)} ns over bare`);
}
const ratio = med["profile()"]! / raw;
console.log(`profile() / raw span = ${ratio.toFixed(3)} (target ≤ 1.15): ${ratio <= 1.15 ? "ok" : "OVER TARGET"}`);
await shutdown();
