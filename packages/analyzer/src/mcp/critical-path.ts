// One trace's critical path for the critical_path tool: the spans that hold time on it (jaeger-ui
// semantics, the engine's buildTraces), at most `maxSpans` of them — those with the most
// critical time — in start order, so the answer stays small whatever the trace's size.
import { buildTraces, type Span, type TraceNode } from "@jotty/engine/engine";
import type { CliOptions } from "../cli/options.js";
import { chosenSource } from "../cli/run.js";
import { readTraceFile } from "../sources/file.js";
import { readJaeger } from "../sources/jaeger.js";
import { WarningLog } from "../sources/warnings.js";

export interface CriticalPath {
  traceId: string;
  durationMs: number;
  spans: { name: string; service: string; spanId: string; startMs: number; durationMs: number; criticalMs: number; share: number }[];
  /** Spans on the path left out to keep the answer within maxSpans. */
  omittedSpans: number;
}

const round = (ns: number) => Math.round(ns / 1e3) / 1e3;

export async function criticalPath(traceId: string, options: CliOptions, maxSpans: number): Promise<CriticalPath> {
  const spans: Span[] = [];
  const keep = (span: Span) => {
    if (span.traceId === traceId) spans.push(span);
  };
  const warnings = new WarningLog();
  const { source, file } = await chosenSource(options);
  if (source === "prometheus") throw new Error("a critical path needs the trace's spans: Prometheus has none (use a file or Jaeger)");
  if (source === "jaeger") {
    const { jaegerUrl: url, jaegerGrpc: grpc, jaegerHeaders: headers, service, start, end, pageSize } = options;
    await readJaeger({ url, grpc, headers, service, start, end, pageSize }, keep, warnings);
  } else {
    if (file === undefined || file === "") throw new Error("give a file (or run the server with JOTTY_TRACES_FILE)");
    await readTraceFile(file, keep, warnings);
  }
  const trace = buildTraces(spans).find((t) => t.traceId === traceId);
  if (trace === undefined) throw new Error(`no trace ${traceId} in the ${source === "jaeger" ? "window" : "file"}`);
  const onPath: TraceNode[] = [];
  const walk = (node: TraceNode) => {
    if (node.criticalNs > 0) onPath.push(node);
    node.children.forEach(walk);
  };
  trace.roots.forEach(walk);
  const totalNs = trace.roots.reduce((sum, r) => sum + (r.span.endNs - r.span.startNs), 0);
  const shown = [...onPath]
    .sort((a, b) => b.criticalNs - a.criticalNs)
    .slice(0, maxSpans)
    .sort((a, b) => a.span.startNs - b.span.startNs);
  return {
    traceId,
    durationMs: round(trace.endNs - trace.startNs),
    spans: shown.map((n) => ({
      name: n.span.name,
      service: typeof n.span.resource["service.name"] === "string" ? (n.span.resource["service.name"] as string) : "unknown",
      spanId: n.span.spanId,
      startMs: round(n.span.startNs - trace.startNs),
      durationMs: round(n.span.endNs - n.span.startNs),
      criticalMs: round(n.criticalNs),
      share: totalNs > 0 ? Math.round((n.criticalNs / totalNs) * 1e4) / 1e4 : 0,
    })),
    omittedSpans: onPath.length - shown.length,
  };
}
