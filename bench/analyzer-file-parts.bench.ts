// The analyzer over a big traces file on every core: an OTLP JSON lines file (500 spans a line,
// like the Collector file exporter's batches) of agent traces of 1,000 spans and of 5 spans, read
// in parts by worker threads (file-report.ts) against a single-threaded read + JSON.parse of
// every line of the same file, each in a fresh process (so each peak RSS is its own).
// The figures are checked against what the generator wrote (traces, spans, LLM calls, tokens,
// cost), and against the one-pass report when BENCH_COMPARE is not 0.
// Target: parts ≤ 1.0 × JSON.parse, peak RSS < 1 GiB. BENCH_SPANS (default 1,000,000; the issue's
// figure is 10,000,000: ~4 GB of disk a shape), BENCH_SHAPES (default "1000,5"), BENCH_RUNS (1).
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { reportTraceFile, WarningLog } from "@jotty/analyzer";
import { attr, hex } from "./otlp-json-text.ts";

const SPANS_PER_LINE = 500;
const COST = 0.0037;
const T0 = 1_764_000_000_000_000_000;

/** What span i of a trace is: the workflow root, then groups of 10 (a step, 6 LLM calls under it, 3 tools). */
const roleOf = (i: number) => (i === 0 ? "root" : (i - 1) % 10 === 0 ? "step" : (i - 1) % 10 <= 6 ? "llm" : "tool");
const inputTokens = (i: number) => 1000 + (i % 7) * 100;

function spanJson(t: number, i: number, size: number): string {
  const base = T0 + t * 1_000_000_000;
  const group = Math.floor((i - 1) / 10);
  const role = roleOf(i);
  let name: string;
  let parent = "";
  let start = base;
  let end = base + 10_000_000 * (Math.ceil((size - 1) / 10) + 1);
  let attrs: string[];
  if (role === "root") {
    name = "invoke_workflow research";
    attrs = [attr("gen_ai.operation.name", "invoke_workflow"), attr("gen_ai.workflow.name", "research")];
  } else if (role === "step") {
    name = `step-${group % 20}`;
    parent = hex(1, 16);
    start = base + group * 10_000_000;
    end = start + 9_500_000;
    attrs = [attr("jotty.step.name", name), attr("jotty.step.index", group % 20), attr("jotty.step.attempts", 1), attr("jotty.step.outcome", "ok")];
  } else {
    parent = hex(1 + group * 10 + 1, 16);
    start = base + group * 10_000_000 + (((i - 1) % 10) - 1) * 1_000_000;
    end = start + 900_000;
    if (role === "llm") {
      name = "llm_call";
      attrs = [
        attr("gen_ai.operation.name", "chat"),
        attr("gen_ai.provider.name", "openai"),
        attr("gen_ai.request.model", "gpt-4o"),
        attr("gen_ai.response.model", "gpt-4o-2024-08-06"),
        attr("gen_ai.usage.input_tokens", inputTokens(i)),
        attr("gen_ai.usage.output_tokens", 120),
        attr("gen_ai.usage.cost", COST),
        attr("jotty.llm.prompt_hash", hex((t * 7 + i) % 5000, 16)),
        attr("server.address", "api.openai.com"),
      ];
    } else {
      name = "execute_tool search";
      attrs = [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", "search")];
    }
  }
  return `{"traceId":"${hex(t + 1, 32)}","spanId":"${hex(i + 1, 16)}"${parent ? `,"parentSpanId":"${parent}"` : ""},"name":"${name}","kind":${role === "llm" ? 3 : 1},"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}","attributes":[${attrs.join(",")}],"status":{}}`;
}

interface Expected {
  traces: number;
  spans: number;
  calls: number;
  inputTokens: number;
  costUsd: number;
}

async function generate(path: string, total: number, size: number): Promise<Expected> {
  const out = createWriteStream(path);
  const resource = `{"attributes":[${attr("service.name", "jotty-agent")},${attr("telemetry.sdk.language", "nodejs")}]}`;
  const traces = Math.floor(total / size);
  let batch: string[] = [];
  let calls = 0;
  let tokens = 0;
  const flush = async () => {
    const line = `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"scope":{"name":"@jotty/otel","version":"0.1.0"},"spans":[${batch.join(",")}]}]}]}\n`;
    if (!out.write(line)) await once(out, "drain");
    batch = [];
  };
  for (let t = 0; t < traces; t++) {
    for (let i = 0; i < size; i++) {
      batch.push(spanJson(t, i, size));
      if (roleOf(i) === "llm") {
        calls++;
        tokens += inputTokens(i);
      }
      if (batch.length === SPANS_PER_LINE) await flush();
    }
  }
  if (batch.length > 0) await flush();
  out.end();
  await once(out, "finish");
  return { traces, spans: traces * size, calls, inputTokens: tokens, costUsd: Math.round(calls * COST * 1e9) / 1e9 };
}

// ---- child modes: one measurement in a fresh process, a JSON line on stdout ----

async function parseOnly(path: string): Promise<number> {
  let spans = 0;
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    spans += JSON.parse(line).resourceSpans[0].scopeSpans[0].spans.length;
  }
  return spans;
}

async function child(mode: string, path: string): Promise<void> {
  const start = performance.now();
  let out: Record<string, unknown>;
  if (mode === "parse") out = { spans: await parseOnly(path) };
  else {
    const workers = mode === "plain" ? 1 : availableParallelism();
    const { report, parts } = await reportTraceFile(path, { source: { kind: "file", location: path } }, new WarningLog(), { workers });
    const { source: _, ...figures } = report;
    out = { parts, report: figures };
  }
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, ...out })}\n`);
}

function measure(mode: string, path: string): { ms: number; maxRssKiB: number; spans?: number; parts?: number; report?: Record<string, unknown> } {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, path], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`${mode} run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SPANS ?? 1_000_000);
  const shapes = (process.env.BENCH_SHAPES ?? "1000,5").split(",").map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 1);
  const compare = process.env.BENCH_COMPARE !== "0";
  let failed = false;
  for (const size of shapes) {
    const dir = mkdtempSync(join(tmpdir(), "jotty-file-parts-bench-"));
    try {
      const path = join(dir, "traces.jsonl");
      const g0 = performance.now();
      const expected = await generate(path, total, size);
      console.log(
        `\n${expected.spans.toLocaleString("en")} spans, ${expected.traces.toLocaleString("en")} traces of ${size}: ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB (generated in ${secs(performance.now() - g0)}), ${availableParallelism()} cores`,
      );
      const parse: number[] = [];
      const parts: number[] = [];
      let partsRss = 0;
      let parseRss = 0;
      let last: ReturnType<typeof measure> | undefined;
      for (let run = 0; run < runs; run++) {
        const p = measure("parse", path);
        if (p.spans !== expected.spans) throw new Error(`JSON.parse read ${p.spans} spans, expected ${expected.spans}`);
        parse.push(p.ms);
        parseRss = Math.max(parseRss, p.maxRssKiB);
        last = measure("parts", path);
        parts.push(last.ms);
        partsRss = Math.max(partsRss, last.maxRssKiB);
      }
      const report = last!.report as { traces: number; spans: number; llm: { calls: number; inputTokens: number; costUsd: number } };
      const got: Expected = {
        traces: report.traces,
        spans: report.spans,
        calls: report.llm.calls,
        inputTokens: report.llm.inputTokens,
        costUsd: report.llm.costUsd,
      };
      const exact = JSON.stringify(got) === JSON.stringify(expected);
      const ratio = median(parts) / median(parse);
      console.log(`read + JSON.parse every line (1 thread): median ${secs(median(parse))} (runs ${parse.map(secs).join(", ")}), peak RSS ${mib(parseRss)}`);
      console.log(
        `report, file read in ${last!.parts} part(s)     : median ${secs(median(parts))} (runs ${parts.map(secs).join(", ")}), peak RSS ${mib(partsRss)}`,
      );
      console.log(`ratio parts / JSON.parse               : ${ratio.toFixed(2)} × (target ≤ 1.0 ×) ${ratio <= 1 ? "OK" : "OVER"}`);
      console.log(`peak RSS                               : ${mib(partsRss)} (target < 1024 MiB) ${partsRss < 1024 * 1024 ? "OK" : "OVER"}`);
      console.log(`figures (traces, spans, calls, tokens, cost): ${exact ? "exact" : `WRONG: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`}`);
      if (compare) {
        const plain = measure("plain", path);
        const same = JSON.stringify(plain.report) === JSON.stringify(last!.report);
        console.log(
          `one pass (1 thread), for reference     : ${secs(plain.ms)} (${(plain.ms / median(parse)).toFixed(2)} ×), peak RSS ${mib(plain.maxRssKiB)}; report ${same ? "identical" : "DIFFERENT"}`,
        );
        if (!same) failed = true;
      }
      if (!exact || last!.parts === 1) failed = true;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!);
else if (process.argv[2] === "--generate") console.log(JSON.stringify(await generate(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]))));
else await main();
