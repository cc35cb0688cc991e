// What the comparison costs: the report of a window (engine alone, as `jotty-analyze` without
// per-run records) against the same report with the per-run recorder, the slow-vs-fast split
// and a comparison with a second window of the same size, in this process. Spans are built in
// memory (no file reading), so the ratio is of the engine's work only: the worst case.
// Target: ≤ 1.5 × two plain reports (what reading both windows costs without the comparison).
// BENCH_COMPARE_RUNS (runs a window, default 5,000) and BENCH_RUNS (rounds, default 5) override the size.
import { compareWindows, slowVsFast, type Span } from "@jotty/analyzer";
import { createReportBuilder, RunRecorder } from "@jotty/analyzer/engine";

const RUNS_PER_WINDOW = Number(process.env.BENCH_COMPARE_RUNS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const resource = { "service.name": "agent" };

/** A window of agent runs: a workflow, 6 steps of one LLM call and one tool call each (19 spans). */
function windowSpans(seedOffset: number): Span[] {
  const spans: Span[] = [];
  let x = 12345 + seedOffset;
  const noise = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 0.2 + 0.9;
  for (let r = 0; r < RUNS_PER_WINDOW; r++) {
    const traceId = (r + seedOffset * 1e6 + 1).toString(16).padStart(32, "0");
    const t0 = 1.7e18 + r * 1e11;
    let at = t0;
    let id = 2;
    const span = (name: string, parent: string | undefined, start: number, end: number, attributes: Span["attributes"]): string => {
      const spanId = (id++).toString(16).padStart(16, "0");
      spans.push({
        traceId,
        spanId,
        ...(parent ? { parentSpanId: parent } : {}),
        name,
        kind: "INTERNAL",
        startNs: start,
        endNs: end,
        status: { code: "UNSET" },
        attributes,
        resource,
      });
      return spanId;
    };
    const root = "0000000000000001";
    for (let s = 1; s <= 6; s++) {
      const ms = 1e9 * s * noise();
      const step = span(`step-${s}`, root, at, at + ms, {
        "jotty.step.name": `step-${s}`,
        "jotty.step.index": s,
        "jotty.step.attempts": 1,
        "jotty.step.outcome": "ok",
      });
      span("llm_call", step, at, at + ms * 0.8, {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 1000 * s,
        "gen_ai.usage.output_tokens": 200,
        "gen_ai.usage.cost": 0.004,
      });
      span("execute_tool search", step, at + ms * 0.8, at + ms * 0.95, { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" });
      at += ms;
    }
    spans.push({
      traceId,
      spanId: root,
      name: "invoke_workflow agent",
      kind: "INTERNAL",
      startNs: t0,
      endNs: at,
      status: { code: "UNSET" },
      attributes: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "agent" },
      resource,
    });
  }
  return spans;
}

function plain(spans: readonly Span[]): number {
  const builder = createReportBuilder({ source: { kind: "file", location: "bench" }, prices: null });
  for (const s of spans) builder.add(s);
  return builder.finish().traces;
}

function compared(spans: readonly Span[], baselineSpans: readonly Span[]): number {
  const window = (input: readonly Span[]) => {
    const runs = new RunRecorder();
    const builder = createReportBuilder({ source: { kind: "file", location: "bench" }, prices: null, traceObserver: runs });
    for (const s of input) builder.add(s);
    return { report: builder.finish(), runs: runs.records() };
  };
  const current = window(spans);
  slowVsFast(current.runs);
  const comparison = compareWindows(window(baselineSpans), current);
  if (comparison.runs.count.baseline !== RUNS_PER_WINDOW) throw new Error("baseline runs missing");
  return current.report.traces;
}

function time(fn: () => number): number {
  globalThis.gc?.();
  const start = performance.now();
  if (fn() !== RUNS_PER_WINDOW) throw new Error("wrong trace count");
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const current = windowSpans(0);
const baseline = windowSpans(1);
const base: number[] = [];
const full: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Two plain reports (the current and the baseline window) against the compared run of both.
  base.push(time(() => plain(current)) + time(() => plain(baseline)));
  full.push(time(() => compared(current, baseline)));
}
const ratio = median(full) / median(base);
console.log(`${RUNS_PER_WINDOW.toLocaleString("en")} runs (${current.length.toLocaleString("en")} spans) a window, ${ROUNDS} rounds`);
console.log(`two plain reports             : median ${(median(base) / 1000).toFixed(2)} s  (rounds ${base.map((m) => (m / 1000).toFixed(2)).join(", ")})`);
console.log(`two reports + runs + comparison: median ${(median(full) / 1000).toFixed(2)} s  (rounds ${full.map((m) => (m / 1000).toFixed(2)).join(", ")})`);
console.log(`ratio                          : ${ratio.toFixed(2)} × (target ≤ 1.5 ×) ${ratio <= 1.5 ? "OK" : "OVER"}`);
