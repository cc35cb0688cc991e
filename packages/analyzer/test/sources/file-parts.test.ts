// A JSON-lines file read in parts (worker threads, or the same parts in this thread) gives the
// report the one-pass path gives, byte for byte: random files whose traces straddle the cuts,
// and a fixed file through one worker, two workers and the plain path. The worker threads run
// the built dist/ (as the CLI tests do): `pnpm build` first.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { reportTraceFile } from "../../src/sources/file-report.js";
import { reportFromParts } from "../../src/sources/file-parts.js";
import { splitAtLines } from "../../src/sources/file-split.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { WorkerPart } from "../../src/sources/worker-part.js";
import { tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const T0 = 1_764_100_800_000_000_000n;
type AttrValue = string | number | string[] | number[];

const otlpValue = (v: AttrValue): unknown =>
  Array.isArray(v)
    ? { arrayValue: { values: (v as (string | number)[]).map((x) => otlpValue(x)) } }
    : typeof v === "string"
      ? { stringValue: v }
      : Number.isInteger(v)
        ? { intValue: String(v) }
        : { doubleValue: v };

const attrs = (a: Record<string, AttrValue>) => Object.entries(a).map(([key, value]) => ({ key, value: otlpValue(value) }));

interface GenSpan {
  trace: number;
  id: number;
  parent: number | undefined;
  start: number;
  duration: number;
  attrs: Record<string, AttrValue>;
  error: boolean;
}

const llm = fc.record({
  "gen_ai.operation.name": fc.constant("chat"),
  "gen_ai.provider.name": fc.constantFrom("openai", "anthropic"),
  "gen_ai.request.model": fc.constantFrom("gpt-4o", "claude-sonnet-4-5"),
  "gen_ai.usage.input_tokens": fc.nat(5000),
  "gen_ai.usage.output_tokens": fc.nat(800),
  "gen_ai.usage.cost": fc.constantFrom(0.0037, 0.01, 0.000123),
  "jotty.llm.prompt_hash": fc.constantFrom("h1", "h2", "h3", "h4"),
});
const roleAttrs: fc.Arbitrary<Record<string, AttrValue>> = fc.oneof(
  fc.constant({}),
  llm,
  fc.record({
    "jotty.step.name": fc.constantFrom("plan", "search"),
    "jotty.step.index": fc.nat(2),
    "jotty.step.attempts": fc.integer({ min: 1, max: 3 }),
    "jotty.step.outcome": fc.constantFrom("ok", "timeout", "error"),
  }),
  fc.constant({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" }),
  fc.constant({ "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "research" }),
);

/** A trace: spans 0..n-1, each span's parent an earlier span (or none, or one that never comes). */
const traceArb = (trace: number) =>
  fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc
      .tuple(
        ...Array.from({ length: n }, (_, id) =>
          fc.record({
            parent: id === 0 ? fc.constant(undefined) : fc.option(fc.integer({ min: 0, max: id }), { nil: undefined, freq: 4 }),
            start: fc.integer({ min: 0, max: 2_000_000_000 }),
            duration: fc.integer({ min: 0, max: 900_000_000 }),
            attrs: roleAttrs,
            error: fc.boolean(),
          }),
        ),
      )
      .map((spans) => spans.map((s, id): GenSpan => ({ ...s, trace, id, parent: s.parent === id ? 99 : s.parent }))),
  );

/** Several traces' spans interleaved into one arrival order, cut into lines of a few spans. */
const fileArb = fc
  .integer({ min: 2, max: 10 })
  .chain((traces) => fc.tuple(...Array.from({ length: traces }, (_, t) => traceArb(t + 1))))
  .chain((traces) => {
    const all = traces.flat();
    return fc.tuple(
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: all.length, maxLength: all.length }),
    );
  });

const spanJson = (s: GenSpan) => ({
  traceId: s.trace.toString(16).padStart(32, "0"),
  spanId: (s.id + 1).toString(16).padStart(16, "0"),
  ...(s.parent !== undefined ? { parentSpanId: (s.parent + 1).toString(16).padStart(16, "0") } : {}),
  name: `op-${s.id % 3}`,
  kind: 1,
  startTimeUnixNano: String(T0 + BigInt(s.start)),
  endTimeUnixNano: String(T0 + BigInt(s.start + s.duration)),
  attributes: attrs(s.attrs),
  status: s.error ? { code: 2 } : {},
});

const line = (spans: GenSpan[], service: string) =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: attrs({ "service.name": service }) }, scopeSpans: [{ scope: {}, spans: spans.map(spanJson) }] }],
  });

function jsonLines(order: GenSpan[], sizes: number[]): string {
  const lines: string[] = [];
  for (let i = 0, k = 0; i < order.length; k++) {
    const n = sizes[k % sizes.length]!;
    lines.push(line(order.slice(i, i + n), k % 3 === 0 ? "agent" : "tools"));
    i += n;
  }
  return lines.join("\n") + "\n";
}

const options = (path: string) => ({ source: { kind: "file" as const, location: path } });

async function report(path: string, how: { workers: number; inThread?: boolean }) {
  const warnings = new WarningLog();
  const read = await reportTraceFile(path, options(path), warnings, { ...how, minBytesForWorkers: 0 });
  return { json: JSON.stringify(read.report), warnings: warnings.lines(), parts: read.parts, spans: read.spans };
}

/** Trace ids on both sides of some cut of the file into `parts`. */
async function tracesAcrossCuts(path: string, parts: number): Promise<number> {
  const text = readFileSync(path);
  const ranges = await splitAtLines(path, parts);
  const idsOf = (start: number, end: number) =>
    new Set(
      [
        ...text
          .subarray(start, end)
          .toString()
          .matchAll(/"traceId":"(\w+)"/g),
      ].map((m) => m[1]),
    );
  let across = 0;
  for (let k = 1; k < ranges.length; k++) {
    const before = idsOf(0, ranges[k]!.start);
    for (const id of idsOf(ranges[k]!.start, text.length)) if (before.has(id)) across++;
  }
  return across;
}

describe("a JSON-lines file read in parts", () => {
  it("gives the one-pass report for random files, traces straddling the cuts included (2–4 parts in this thread)", async () => {
    let straddled = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 2, max: 4 }), async ([order, sizes], parts) => {
        const path = tmp.write(`random-${n++}.jsonl`, jsonLines(order, sizes));
        const plain = await report(path, { workers: 1 });
        const split = await report(path, { workers: parts, inThread: true });
        expect(plain.parts).toBe(1);
        expect(split.parts).toBe((await splitAtLines(path, parts)).length); // no part fell back to one pass
        expect(split.json).toBe(plain.json);
        expect(split.warnings).toEqual(plain.warnings);
        if ((await tracesAcrossCuts(path, parts)) > 0) straddled++;
      }),
      { numRuns: 80 },
    );
    expect(straddled).toBeGreaterThan(20); // the interesting case is common, not an accident
  });

  it("gives the one-pass report under a small pending window too, in parts or by falling back to one pass", async () => {
    let n = 0;
    let merged = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 4, max: 40 }), async ([order, sizes], parts, window) => {
        const path = tmp.write(`window-${n++}.jsonl`, jsonLines(order, sizes));
        const how = { ...options(path), maxPendingSpans: window };
        const plainWarnings = new WarningLog();
        const plain = await reportTraceFile(path, how, plainWarnings, { workers: 1 });
        const splitWarnings = new WarningLog();
        const split = await reportTraceFile(path, how, splitWarnings, { workers: parts, inThread: true, minBytesForWorkers: 0 });
        if (split.parts > 1) merged++;
        expect(JSON.stringify(split.report)).toBe(JSON.stringify(plain.report));
        expect(splitWarnings.lines()).toEqual(plainWarnings.lines());
      }),
      { numRuns: 150 },
    );
    expect(merged).toBeGreaterThan(0);
  });

  // A fixed file: 300 agent traces of 7 spans, two at a time in flight so that every cut falls
  // inside some trace, one 400-span trace running through the whole file, a bad line after the
  // middle (its warning names the file's line number, not the part's).
  const fixed = () => {
    const lines: string[] = [];
    const kv = (s: GenSpan[]) => line(s, "agent");
    const long: GenSpan[] = [];
    for (let t = 0; t < 300; t += 2) {
      for (let i = 0; i < 7; i++) {
        const spanOf = (trace: number): GenSpan => ({
          trace: trace + 2,
          id: i,
          parent: i === 0 ? undefined : i < 3 ? 0 : 1,
          start: trace * 1_000_000_000 + i * 1_000_000,
          duration: i === 0 ? 90_000_000 : 5_000_000,
          attrs:
            i === 0
              ? { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "research" }
              : i % 2 === 1
                ? {
                    "gen_ai.operation.name": "chat",
                    "gen_ai.provider.name": "openai",
                    "gen_ai.request.model": "gpt-4o",
                    "gen_ai.usage.input_tokens": 1000 + i,
                    "gen_ai.usage.output_tokens": 100,
                    "gen_ai.usage.cost": 0.0037,
                    "jotty.llm.prompt_hash": `p${trace % 17}`,
                  }
                : { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" },
          error: trace % 41 === 0 && i === 3,
        });
        lines.push(kv([spanOf(t), spanOf(t + 1)]));
      }
      if (t % 3 === 0) {
        const id = long.length;
        long.push({
          trace: 1,
          id,
          parent: id === 0 ? undefined : 0,
          start: t * 1_000_000_000,
          duration: id === 0 ? 400_000_000_000 : 1_000_000,
          attrs: {},
          error: false,
        });
        lines.push(kv([long[id]!]));
      }
      if (t === 200) lines.push("{not json");
    }
    return lines.join("\n") + "\n";
  };

  it("gives the one-pass report through one worker thread and through two", async () => {
    const path = tmp.write("fixed.jsonl", fixed());
    expect(await tracesAcrossCuts(path, 2)).toBeGreaterThanOrEqual(2); // the long trace and a pair in flight
    const plain = await report(path, { workers: 1 });
    const two = await report(path, { workers: 2 });
    expect(two.parts).toBe(2);
    expect(two.json).toBe(plain.json);
    expect(two.warnings).toEqual(plain.warnings);
    expect(plain.warnings.join("\n")).toMatch(/unreadable JSON line skipped \(fixed\.jsonl line \d+\)/);

    const [whole] = await splitAtLines(path, 1);
    const one = new WorkerPart({ path, range: whole!, first: true, options: options(path), maxLineBytes: 2 ** 29, parts: 1 });
    try {
      const warnings = new WarningLog();
      const { report: single } = await reportFromParts(path, [one], options(path), warnings);
      expect(JSON.stringify(single)).toBe(plain.json);
      expect(warnings.lines()).toEqual(plain.warnings);
    } finally {
      await one.close();
    }
    const parsed = JSON.parse(plain.json) as { traces: number; spans: number; slowestTraces: { traceId: string; durationMs: number }[] };
    expect(parsed.traces).toBe(301); // the long trace counted once …
    expect(parsed.slowestTraces[0]).toMatchObject({ traceId: "1".padStart(32, "0"), durationMs: 400_000 }); // … with its whole wall time
  });

  it("reads in one pass when a trace held at a cut comes back only after the next part's head, with the same report", async () => {
    const spanOf = (trace: number, id: number): GenSpan => ({
      trace,
      id,
      parent: id === 0 ? undefined : 0,
      start: trace * 1e6 + id,
      duration: 1000,
      attrs: {},
      error: false,
    });
    // Trace 1 starts the file and ends it; 60 one-span traces between. With a window of 20
    // spans, the second part looks for held traces in its first 5 spans only.
    const lines = [line([spanOf(1, 0)], "agent"), ...Array.from({ length: 60 }, (_, t) => line([spanOf(t + 2, 0)], "agent")), line([spanOf(1, 1)], "agent")];
    const path = tmp.write("late.jsonl", lines.join("\n") + "\n");
    const how = { ...options(path), maxPendingSpans: 20 };
    const plainWarnings = new WarningLog();
    const plain = await reportTraceFile(path, how, plainWarnings, { workers: 1 });
    const splitWarnings = new WarningLog();
    const split = await reportTraceFile(path, how, splitWarnings, { workers: 2, inThread: true, minBytesForWorkers: 0 });
    expect(plain.report.traces).toBe(61);
    expect(split.parts).toBe(1);
    expect(JSON.stringify(split.report)).toBe(JSON.stringify(plain.report));
  });

  // Traces of one lone call (an app with no root span) wait for every other trace: the parts hand
  // them to the main thread, which checks them against every part's calls as one pass would.
  const loneCall = (trace: number, start: number, duration: number, input: number): GenSpan => ({
    trace,
    id: 0,
    parent: undefined,
    start,
    duration,
    attrs: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1-nano",
      "gen_ai.usage.input_tokens": input,
      "gen_ai.usage.output_tokens": 363,
    },
    error: false,
  });
  const filler = (trace: number): GenSpan => ({ trace, id: 0, parent: undefined, start: trace * 1e6, duration: 1000, attrs: {}, error: false });

  it("merges traces of one lone call held back for duplicates across traces, with the one-pass report", async () => {
    const lines = Array.from({ length: 40 }, (_, t) => line([loneCall(t + 1, t * 1e9, (t % 7) * 1e8 + 1e6, 16 + t)], "agent"));
    const path = tmp.write("lone-calls.jsonl", lines.join("\n") + "\n");
    const plain = await report(path, { workers: 1 });
    const split = await report(path, { workers: 2, inThread: true });
    expect(split.parts).toBe(2);
    expect(split.json).toBe(plain.json);
    expect(split.warnings).toEqual(plain.warnings);
    expect((JSON.parse(plain.json) as { llm: { calls: number } }).llm.calls).toBe(40);
    const workers = await report(path, { workers: 2 }); // the held traces through a worker's message
    expect(workers.parts).toBe(2);
    expect(workers.json).toBe(plain.json);
  });

  it("reads in one pass when a trace of one part is the call of a trace in another, with the same report", async () => {
    // A peer's run (OpenInference) in the first part; our llm_call within its LLM span, at the root of a trace of its own, in the last.
    const peer: GenSpan[] = [
      { trace: 1, id: 0, parent: undefined, start: 0, duration: 100_000_000, attrs: { "openinference.span.kind": "CHAIN" }, error: false },
      {
        trace: 1,
        id: 1,
        parent: 0,
        start: 10_000_000,
        duration: 50_000_000,
        attrs: {
          "openinference.span.kind": "LLM",
          "llm.provider": "openai",
          "llm.model_name": "gpt-4.1-nano",
          "llm.token_count.prompt": 16,
          "llm.token_count.completion": 363,
        },
        error: false,
      },
    ];
    const lines = [
      line(peer, "agent"),
      ...Array.from({ length: 40 }, (_, t) => line([filler(t + 3)], "agent")),
      line([loneCall(2, 12_000_000, 46_000_000, 16)], "agent"),
    ];
    const path = tmp.write("cross-trace.jsonl", lines.join("\n") + "\n");
    const plain = await report(path, { workers: 1 });
    const split = await report(path, { workers: 2, inThread: true });
    const parsed = JSON.parse(plain.json) as { llm: { calls: number }; warnings: string[] };
    expect(parsed.llm.calls).toBe(1);
    expect(parsed.warnings).toContain(crossTraceMergedWarning(1));
    expect(split.parts).toBe(1);
    expect(split.json).toBe(plain.json);
  });

  it("reads in one pass when prompt prefixes recur across the parts (what a part cannot know), with the same report", async () => {
    // Under a root span: a trace of one lone call is held for the main thread (cross-trace duplicates), never analysed in a part.
    const root = (trace: number): GenSpan => ({
      trace,
      id: 0,
      parent: undefined,
      start: trace * 1_000_000_000,
      duration: 2_000_000_000,
      attrs: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "chat" },
      error: false,
    });
    const call = (trace: number): GenSpan => ({
      trace,
      id: 1,
      parent: 0,
      start: trace * 1_000_000_000,
      duration: 2_000_000_000,
      attrs: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 3000,
        "gen_ai.usage.output_tokens": 50,
        "jotty.llm.prompt.prefix_hashes": ["sys1", `conv${trace}`],
        "jotty.llm.prompt.prefix_tokens": [2500, 3000],
      },
      error: false,
    });
    const path = tmp.write("prefixes.jsonl", Array.from({ length: 40 }, (_, t) => line([root(t + 1), call(t + 1)], "agent")).join("\n") + "\n");
    const plain = await report(path, { workers: 1 });
    const split = await report(path, { workers: 2, inThread: true });
    expect(plain.json).toMatch(/"kind":"prompt-caching"/);
    expect(split.parts).toBe(1);
    expect(split.json).toBe(plain.json);
  });
});
