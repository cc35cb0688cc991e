// Analyzer throughput: an OTLP JSON lines file of 1,000,000 spans (10,000 agent traces of 100
// spans, 500 spans a line like the Collector file exporter's batches). Time to the finished
// report (file source + engine) against the time to only read and JSON.parse every line of the
// same file, in this process; peak RSS from process.resourceUsage().maxRSS.
// Targets: report ≤ 2 × parse, peak RSS ≤ 1 GiB. BENCH_SPANS / BENCH_RUNS override the size/runs.
// --baseline-dist=<checkout> also times the report with that checkout's built engine
// (packages/engine/dist), rounds alternating with this build's: an engine change against the
// engine before it, in the same run.
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import { readTraceFile, WarningLog } from "@jotty/analyzer";
import { createReportBuilder } from "@jotty/analyzer/engine";
import { attr, hex } from "./otlp-json-text.ts";

const TOTAL_SPANS = Number(process.env.BENCH_SPANS ?? 1_000_000);
const SPANS_PER_TRACE = 100;
const SPANS_PER_LINE = 500;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Span i (0..99) of trace t: a workflow root, 9 steps, each with 6 LLM calls and 4 tool calls. */
function spanJson(t: number, i: number, baseNs: number): string {
  const traceId = hex(t + 1, 32);
  const step = i === 0 ? -1 : Math.floor((i - 1) / 11);
  const inStep = i === 0 ? -1 : (i - 1) % 11;
  let name: string;
  let parent = "";
  let start = baseNs;
  let end = baseNs + 99_000_000;
  let attrs: string[];
  const stepStart = baseNs + step * 11_000_000;
  if (i === 0) {
    name = "invoke_workflow research";
    attrs = [attr("gen_ai.operation.name", "invoke_workflow"), attr("gen_ai.workflow.name", "research")];
  } else if (inStep === 0) {
    name = `step-${step}`;
    parent = hex(1, 16);
    start = stepStart;
    end = stepStart + 11_000_000;
    attrs = [
      attr("jotty.step.name", `step-${step}`),
      attr("jotty.step.index", step),
      attr("jotty.step.attempts", 1),
      attr("jotty.step.timeout_ms", 30000),
      attr("jotty.step.outcome", "ok"),
    ];
  } else {
    parent = hex(i - inStep + 1, 16);
    start = stepStart + (inStep - 1) * 1_000_000;
    end = start + 900_000;
    if (inStep <= 6) {
      name = "llm_call";
      attrs = [
        attr("gen_ai.operation.name", "chat"),
        attr("gen_ai.provider.name", "openai"),
        attr("gen_ai.request.model", "gpt-4o"),
        attr("gen_ai.response.model", "gpt-4o-2024-08-06"),
        attr("gen_ai.response.id", `chatcmpl-${t}-${i}`),
        attr("gen_ai.usage.input_tokens", 1000 + step * 400),
        attr("gen_ai.usage.output_tokens", 120),
        attr("gen_ai.usage.cache_read.input_tokens", 256),
        attr("gen_ai.usage.cost", 0.0037),
        attr("jotty.llm.prompt_hash", hex((t * 7 + i) % 5000, 16)),
        attr("server.address", "api.openai.com"),
        attr("server.port", 443),
      ];
    } else {
      name = "execute_tool search";
      attrs = [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", "search")];
    }
  }
  return `{"traceId":"${traceId}","spanId":"${hex(i + 1, 16)}"${parent ? `,"parentSpanId":"${parent}"` : ""},"name":"${name}","kind":${i === 0 || inStep === 0 ? 1 : 3},"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}","attributes":[${attrs.join(",")}],"status":{}}`;
}

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  const resource = `{"attributes":[${attr("service.name", "jotty-agent")},${attr("telemetry.sdk.language", "nodejs")},${attr("telemetry.sdk.version", "3.1.0")}]}`;
  const traces = TOTAL_SPANS / SPANS_PER_TRACE;
  const t0 = 1_764_000_000_000_000_000;
  let batch: string[] = [];
  for (let t = 0; t < traces; t++) {
    for (let i = 0; i < SPANS_PER_TRACE; i++) {
      batch.push(spanJson(t, i, t0 + t * 1_000_000_000));
      if (batch.length === SPANS_PER_LINE) {
        const line = `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"scope":{"name":"@jotty/otel","version":"0.1.0"},"spans":[${batch.join(",")}]}]}]}\n`;
        if (!out.write(line)) await once(out, "drain");
        batch = [];
      }
    }
  }
  out.end();
  await once(out, "finish");
}

async function parseOnly(path: string): Promise<number> {
  let spans = 0;
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const doc = JSON.parse(line);
    spans += doc.resourceSpans[0].scopeSpans[0].spans.length;
  }
  return spans;
}

async function report(path: string, create: typeof createReportBuilder = createReportBuilder): Promise<number> {
  const builder = create({ source: { kind: "file", location: path } });
  await readTraceFile(path, (span) => builder.add(span), new WarningLog());
  const result = builder.finish();
  return result.spans;
}

async function time(fn: () => Promise<number>, expected: number): Promise<number> {
  globalThis.gc?.();
  const start = performance.now();
  const spans = await fn();
  const ms = performance.now() - start;
  if (spans !== expected) throw new Error(`read ${spans} spans, expected ${expected}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), "jotty-analyzer-bench-"));
try {
  const path = join(dir, "traces.jsonl");
  const g0 = performance.now();
  await generate(path);
  const size = statSync(path).size;
  console.log(
    `generated ${TOTAL_SPANS.toLocaleString("en")} spans (${(TOTAL_SPANS / SPANS_PER_TRACE).toLocaleString("en")} traces), ${(size / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  const parse: number[] = [];
  const full: number[] = [];
  const rssBefore = process.resourceUsage().maxRSS;
  for (let run = 0; run < RUNS; run++) parse.push(await time(() => parseOnly(path), TOTAL_SPANS));
  const rssParse = process.resourceUsage().maxRSS;
  const baselineDist = process.argv.find((a) => a.startsWith("--baseline-dist="))?.slice(16);
  const baselineEngine =
    baselineDist === undefined
      ? undefined
      : ((await import(pathToFileURL(join(resolve(baselineDist), "packages/engine/dist/engine/index.js")).href)) as {
          createReportBuilder: typeof createReportBuilder;
        });
  const baseline: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const thisFirst = run % 2 === 0;
    if (baselineEngine !== undefined && !thisFirst) baseline.push(await time(() => report(path, baselineEngine.createReportBuilder), TOTAL_SPANS));
    full.push(await time(() => report(path), TOTAL_SPANS));
    if (baselineEngine !== undefined && thisFirst) baseline.push(await time(() => report(path, baselineEngine.createReportBuilder), TOTAL_SPANS));
  }
  const rssReport = process.resourceUsage().maxRSS;
  const ratio = median(full) / median(parse);
  const mib = (kib: number) => (kib / 1024).toFixed(0);
  console.log(`read + JSON.parse every line : median ${(median(parse) / 1000).toFixed(2)} s  (runs ${parse.map((m) => (m / 1000).toFixed(2)).join(", ")})`);
  console.log(`file source + engine → report: median ${(median(full) / 1000).toFixed(2)} s  (runs ${full.map((m) => (m / 1000).toFixed(2)).join(", ")})`);
  console.log(`ratio report / parse         : ${ratio.toFixed(2)} × (target ≤ 2 ×) ${ratio <= 2 ? "OK" : "OVER"}`);
  if (baseline.length > 0) {
    const paired = median(full.map((m, i) => m / baseline[i]!));
    console.log(
      `with ${baselineDist}'s engine  : median ${(median(baseline) / 1000).toFixed(2)} s  (runs ${baseline.map((m) => (m / 1000).toFixed(2)).join(", ")}); this engine / that one, paired: ${paired.toFixed(3)} ×`,
    );
  }
  console.log(
    `peak RSS                     : ${mib(rssReport)} MiB (after parse runs ${mib(rssParse)} MiB, at start ${mib(rssBefore)} MiB; target ≤ 1024 MiB) ${rssReport <= 1024 * 1024 ? "OK" : "OVER"}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
