// Hand-built spans for the engine tests: times in ms after T0 (exact in float ns).

import type { Attributes, Span, SpanEvent } from "@jotty/engine";

export const T0 = 1e15;
const ns = (msAfterT0: number) => T0 + msAfterT0 * 1e6;

const resources = new Map<string, Attributes>();
const resourceOf = (service: string) => {
  let r = resources.get(service);
  if (r === undefined) resources.set(service, (r = { "service.name": service }));
  return r;
};

export interface SpanSpec {
  trace?: string;
  id: string;
  parent?: string;
  name?: string;
  start: number;
  end: number;
  attrs?: Attributes;
  error?: boolean;
  service?: string;
  events?: { name: string; at: number; attrs?: Attributes }[];
}

export function span(s: SpanSpec): Span {
  const events: SpanEvent[] | undefined = s.events?.map((e) => ({ name: e.name, timeNs: ns(e.at), attributes: e.attrs ?? {} }));
  return {
    traceId: s.trace ?? "t1",
    spanId: s.id,
    ...(s.parent !== undefined ? { parentSpanId: s.parent } : {}),
    name: s.name ?? s.id,
    kind: "INTERNAL",
    startNs: ns(s.start),
    endNs: ns(s.end),
    status: { code: s.error ? "ERROR" : "UNSET" },
    attributes: s.attrs ?? {},
    resource: resourceOf(s.service ?? "agent"),
    ...(events ? { events } : {}),
  };
}

export interface LlmSpec extends Omit<SpanSpec, "attrs" | "name"> {
  provider?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cost?: number;
  hash?: string;
  operation?: string;
  name?: string;
}

export function llm(s: LlmSpec): Span {
  const attrs: Attributes = {
    "gen_ai.operation.name": s.operation ?? "chat",
    "gen_ai.provider.name": s.provider ?? "openai",
    "gen_ai.request.model": s.model ?? "gpt-4o",
  };
  if (s.input !== undefined) attrs["gen_ai.usage.input_tokens"] = s.input;
  if (s.output !== undefined) attrs["gen_ai.usage.output_tokens"] = s.output;
  if (s.cacheRead !== undefined) attrs["gen_ai.usage.cache_read.input_tokens"] = s.cacheRead;
  if (s.cost !== undefined) attrs["gen_ai.usage.cost"] = s.cost;
  if (s.hash !== undefined) attrs["jotty.llm.prompt_hash"] = s.hash;
  return span({ ...s, name: s.name ?? "llm_call", attrs });
}

export function step(s: SpanSpec & { step: string; index: number; attempts?: number; outcome?: string }): Span {
  return span({
    ...s,
    name: s.name ?? s.step,
    attrs: {
      "jotty.step.name": s.step,
      "jotty.step.index": s.index,
      "jotty.step.attempts": s.attempts ?? 1,
      "jotty.step.outcome": s.outcome ?? "ok",
      ...s.attrs,
    },
  });
}

/** As the step runner (packages/otel/src/steps) makes them: "attempt N" with the number and outcome only. */
export function attempt(s: SpanSpec & { attempt: number; outcome: string }): Span {
  return span({
    ...s,
    name: s.name ?? `attempt ${s.attempt}`,
    error: s.outcome !== "ok",
    attrs: { "jotty.step.attempt": s.attempt, "jotty.step.outcome": s.outcome },
  });
}

export function workflow(s: SpanSpec): Span {
  return span({
    ...s,
    name: s.name ?? "invoke_workflow agent",
    attrs: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "agent", ...s.attrs },
  });
}

export function tool(s: SpanSpec & { tool: string }): Span {
  return span({ ...s, name: s.name ?? `execute_tool ${s.tool}`, attrs: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": s.tool } });
}
