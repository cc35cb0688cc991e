// The tools' argument and result schemas (zod; the SDK publishes them as JSON Schema and checks
// every call's arguments against them before a tool runs).
import { z } from "zod";

const when = (what: string) => z.string().min(1).max(64).describe(`${what}: a duration ago (30m, 1h, 2d), an RFC 3339 time, or now`);

export const windowShape = {
  source: z
    .enum(["auto", "jaeger", "prometheus", "file"])
    .optional()
    .describe("where the traces come from (default auto: Jaeger if it answers, else the file)"),
  file: z.string().min(1).max(4096).optional().describe("a traces file (OTLP JSON lines, …) below the server's allowed folders"),
  since: when("start of the window").optional(),
  until: when("end of the window").optional(),
  service: z.string().min(1).max(256).optional().describe("only traces with a span of this service (Jaeger, Prometheus)"),
  top: z.number().int().min(1).max(100).optional().describe("rows of the operations, bottlenecks and slowest-traces lists (default 10)"),
};

export const baselineShape = {
  baselineFile: z.string().min(1).max(4096).optional().describe("the baseline's traces file, below the allowed folders"),
  baselineSince: when("start of the baseline window").optional(),
  baselineUntil: when("end of the baseline window (default: the start of the current one)").optional(),
  alpha: z.number().gt(0).lt(1).optional().describe("false-alarm rate of the whole comparison (default 0.05)"),
  regressionThreshold: z.string().min(1).max(100).optional().describe("smallest worsening that is a regression: 10%, or time=20%,cost=5%,tokens=10%"),
};

export const criticalPathShape = {
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, "a trace id is 32 hex digits")
    .describe("the trace, as 32 hex digits"),
  source: windowShape.source,
  file: windowShape.file,
  since: windowShape.since,
  until: windowShape.until,
  service: windowShape.service,
  maxSpans: z.number().int().min(1).max(200).optional().describe("at most this many spans in the answer (default 50)"),
};

const recommendation = z.looseObject({ kind: z.string(), target: z.string(), estimatedSavingMs: z.number(), estimatedSavingUsd: z.number() });

export const reportResult = z.looseObject({
  schemaVersion: z.literal(1),
  source: z.looseObject({ kind: z.string(), location: z.string() }),
  traces: z.number(),
  spans: z.number(),
  llm: z.looseObject({ calls: z.number() }),
  recommendations: z.array(recommendation),
});

export const findingsResult = z.object({
  findings: z.array(recommendation.extend({ id: z.string(), evidence: z.string() })),
  bottlenecks: z.array(z.looseObject({ name: z.string(), impact: z.string(), share: z.number() })),
});

export const compareResult = z.object({
  comparison: z.looseObject({ regressions: z.array(z.looseObject({ scope: z.string(), target: z.string(), metric: z.string() })) }),
});

export const slowVsFastResult = z.object({
  runs: z.number(),
  slowVsFast: z.looseObject({ factors: z.array(z.looseObject({ kind: z.string(), target: z.string(), shareOfGap: z.number() })) }).nullable(),
});

export const criticalPathResult = z.object({
  traceId: z.string(),
  durationMs: z.number(),
  spans: z.array(z.looseObject({ name: z.string(), criticalMs: z.number() })),
  omittedSpans: z.number(),
});
