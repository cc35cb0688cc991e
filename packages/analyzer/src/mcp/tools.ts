// The MCP tools: report, findings, compare, slow_vs_fast and critical_path, each a view of what
// the CLI computes. A thrown Error becomes a tool error (isError) with its one line.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { analyzeCompared } from "../cli/compared-run.js";
import type { Io } from "../cli/run.js";
import { findingId } from "../compare/finding-id.js";
import { criticalPath } from "./critical-path.js";
import { baselineShape, compareResult, criticalPathResult, criticalPathShape, findingsResult, reportResult, slowVsFastResult, windowShape } from "./schemas.js";
import { toolOptions, type ServerConfig } from "./tool-options.js";

const DEFAULT_MAX_SPANS = 50;

/** A result both as structured content and as its JSON text (for clients that read only text). */
function result(value: object) {
  return { structuredContent: value as Record<string, unknown>, content: [{ type: "text" as const, text: JSON.stringify(value) }] };
}

export function registerTools(server: McpServer, config: ServerConfig): void {
  // Nothing may reach stdout, the protocol's channel: the analysis writes only progress to stderr.
  const io: Io = { stdout: { write: () => true }, stderr: process.stderr, env: config.env };

  server.registerTool(
    "report",
    {
      title: "Bottleneck report",
      description: "The jotty-analyze JSON report of a window or file: where the time went, what it cost, what to change (schemaVersion 1).",
      inputSchema: windowShape,
      outputSchema: reportResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => result(await analyzeCompared(toolOptions(args, config), io)),
  );

  server.registerTool(
    "findings",
    {
      title: "Findings",
      description: "What to change, with the estimated saving of each (recommendations with stable ids), and the bottlenecks.",
      inputSchema: windowShape,
      outputSchema: findingsResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const report = await analyzeCompared(toolOptions(args, config), io);
      return result({ findings: report.recommendations.map((r) => ({ ...r, id: findingId(r) })), bottlenecks: report.bottlenecks });
    },
  );

  server.registerTool(
    "compare",
    {
      title: "Compare with a baseline",
      description:
        "Baseline window or file against the current one: per run, step and model, each change tested (Mann–Whitney U, Holm); regressions; findings new, persisting or resolved.",
      inputSchema: { ...windowShape, ...baselineShape },
      outputSchema: compareResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      if (args.baselineFile === undefined && args.baselineSince === undefined) throw new Error("compare needs baselineFile or baselineSince");
      const report = await analyzeCompared(toolOptions(args, config), io);
      return result({ comparison: report.comparison! });
    },
  );

  server.registerTool(
    "slow_vs_fast",
    {
      title: "Slow runs against fast runs",
      description: "The slowest runs (top decile, at least 3) against the rest: which steps, models, tools, retries, errors and input tokens explain the gap.",
      inputSchema: windowShape,
      outputSchema: slowVsFastResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const report = await analyzeCompared(toolOptions(args, config), io);
      return result({ runs: report.runs.count, slowVsFast: report.slowVsFast ?? null });
    },
  );

  server.registerTool(
    "critical_path",
    {
      title: "Critical path of one trace",
      description: "The spans on one trace's critical path (Jaeger UI's semantics) with their time on it, at most maxSpans of them.",
      inputSchema: criticalPathShape,
      outputSchema: criticalPathResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ traceId, maxSpans, ...window }) => {
      const options = toolOptions(window, config);
      const path = await criticalPath(traceId.toLowerCase(), options, maxSpans ?? DEFAULT_MAX_SPANS);
      return result({ ...path });
    },
  );
}
