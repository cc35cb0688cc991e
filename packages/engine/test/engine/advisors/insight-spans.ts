// LLM spans carrying the capture's insight attributes (issue 21), as @jotty/otel writes them.
import type { Attributes, Span } from "../../../src/model.js";
import { buildReport } from "../../../src/engine/report-builder.js";
import type { Report } from "../../../src/report.js";
import { llm, span, type LlmSpec } from "@jotty/test-kit/spans";

export interface InsightSpec extends LlmSpec {
  /** [fingerprint, estimated cumulative tokens] at each prefix boundary. */
  prefix?: [string, number][];
  toolResults?: [string, number][];
  toolCalls?: [string, string][];
  finish?: string[];
  maxTokens?: number;
  status?: number;
  errorType?: string;
  retryAfterMs?: number;
  cacheWrite?: number;
}

export function call(s: InsightSpec): Span {
  const base = llm(s);
  const a: Attributes = { ...base.attributes };
  if (s.prefix) {
    a["jotty.llm.prompt.prefix_hashes"] = s.prefix.map((p) => p[0]);
    a["jotty.llm.prompt.prefix_tokens"] = s.prefix.map((p) => p[1]);
  }
  if (s.toolResults) {
    a["jotty.llm.request.tool_result_names"] = s.toolResults.map((r) => r[0]);
    a["jotty.llm.request.tool_result_bytes"] = s.toolResults.map((r) => r[1]);
  }
  if (s.toolCalls) {
    a["jotty.llm.response.tool_call_names"] = s.toolCalls.map((c) => c[0]);
    a["jotty.llm.response.tool_call_hashes"] = s.toolCalls.map((c) => c[1]);
  }
  if (s.finish) a["gen_ai.response.finish_reasons"] = s.finish;
  if (s.maxTokens !== undefined) a["gen_ai.request.max_tokens"] = s.maxTokens;
  if (s.status !== undefined) a["http.response.status_code"] = s.status;
  if (s.errorType !== undefined) a["error.type"] = s.errorType;
  if (s.retryAfterMs !== undefined) a["jotty.llm.retry_after_ms"] = s.retryAfterMs;
  if (s.cacheWrite !== undefined) a["gen_ai.usage.cache_write.input_tokens"] = s.cacheWrite;
  return { ...base, attributes: a };
}

export const root = (end: number, trace = "t1"): Span => span({ trace, id: "R", name: "agent run", start: 0, end });

export const report = (spans: Span[]): Report => buildReport(spans, { source: { kind: "file", location: "test" } });

export const findings = (spans: Span[], kind: string) => report(spans).recommendations.filter((r) => r.kind === kind);
