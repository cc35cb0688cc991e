// Cost of profile() around an empty async function, against a raw tracer.startActiveSpan on the
// same SDK pipeline (start(): context manager, span processors, a batching exporter that
// discards) and against a bare call. Target: profile() ≤ 1.15 × raw span.
// Run: pnpm bench profile-overhead (builds first; imports the built dist/).
import { trace, type Span } from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import { median } from "./stats.ts";

process.env.OTEL_METRICS_EXPORTER = "none";
process.env.OTEL_TRACES_EXPORTER = "none";
process.env.JOTTY_TRACES_FILE = "";
process.env.JOTTY_CAPTURE_FETCH = "false";

const { start, shutdown } = await import("../packages/otel/dist/wiring/start.js");
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

const CALLS = 2_000;
const ROUNDS = 41;
const gc = (globalThis as { gc?: () => void }).gc;

async function round(fn: () => Promise<unknown>): Promise<number> {
  gc?.();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

// Warm-up, then each round measures A B B A (raw, profile, profile, raw) so drift from GC, JIT and
// the machine's other work cancels within the round; the ratio is the median of per-round ratios.
for (const fn of Object.values(variants)) for (let i = 0; i < 3; i++) await round(fn);
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  samples["bare call"]!.push(await round(variants["bare call"]!));
  const raw1 = await round(variants["raw startActiveSpan"]!);
  const prof1 = await round(variants["profile()"]!);
  const prof2 = await round(variants["profile()"]!);
  const raw2 = await round(variants["raw startActiveSpan"]!);
  samples["raw startActiveSpan"]!.push(raw1, raw2);
  samples["profile()"]!.push(prof1, prof2);
  ratios.push((prof1 + prof2) / (raw1 + raw2));
}

const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const bare = med["bare call"]!;
console.log(`${CALLS} calls per round, ${ROUNDS} rounds, median ns per call:`);
for (const [name, ns] of Object.entries(med)) {
  console.log(`  ${name.padEnd(22)} ${ns.toFixed(0).padStart(7)} ns   ${(ns - bare).toFixed(0).padStart(6)} ns over bare`);
}
const ratio = median(ratios);
const sorted = [...ratios].sort((a, b) => a - b);
console.log(
  `profile() / raw span = ${ratio.toFixed(3)} (median of per-round ratios; middle half ` +
    `${sorted[Math.floor(ROUNDS / 4)]!.toFixed(3)}–${sorted[Math.floor((3 * ROUNDS) / 4)]!.toFixed(3)}; target ≤ 1.15): ` +
    (ratio <= 1.15 ? "ok" : "OVER TARGET"),
);
await shutdown();
