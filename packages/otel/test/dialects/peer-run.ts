// Runs an agent turn against the recorded provider responses (a node:http replay server) with
// the real OpenTelemetry SDK, optionally with @jotty/otel's capture beside whatever
// instrumentation the test file installed, and analyses the spans it produced with the engine.
import { trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { installFetchCapture } from "../../src/capture/index.js";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useReplayTracing } from "../capture/helpers/capture-env.js";
import type { Handler, ReplayServer } from "@jotty/test-kit/replay-server";
import { buildReport } from "@jotty/engine/engine";
import type { Span } from "@jotty/engine";
import type { Report } from "@jotty/engine";

export interface PeerRun {
  report: Report;
  spans: Span[];
  /** The finished spans as the SDK holds them. */
  raw: ReadableSpan[];
}

export interface PeerEnv {
  readonly server: ReplayServer;
  /**
   * Runs `turn` under a root span `agent turn`; with `jotty`, @jotty/otel's fetch capture is on
   * (clients must be made inside `turn`: SDK clients keep the fetch they see when constructed).
   * With `root: false` the turn runs without a span of the app's own, as a script does.
   * `otherPipeline`: spans a peer exported through a pipeline of its own, analysed with ours.
   */
  run(
    turn: (baseUrl: string) => Promise<unknown>,
    options: { jotty: boolean; llmCalls?: number; root?: boolean; otherPipeline?: () => ReadableSpan[] },
  ): Promise<PeerRun>;
}

export const ROOT_SPAN = "agent turn";

export function usePeerEnv(): PeerEnv {
  const env = useReplayTracing();
  return {
    get server() {
      return env.server;
    },
    async run(turn, { jotty, llmCalls = 1, root = true, otherPipeline }) {
      const { tracing, server } = env;
      tracing.reset();
      const uninstall = jotty ? installFetchCapture({ captureContent: false }) : () => {};
      const runTurn = async () => {
        await turn(server.baseUrl);
        // llm_call spans end once the capture has read the response, after the app's read.
        if (jotty) await tracing.llmSpansEnded(llmCalls);
      };
      try {
        if (!root) await runTurn();
        else
          await trace.getTracer("peer-run").startActiveSpan(ROOT_SPAN, async (span) => {
            try {
              await runTurn();
            } finally {
              span.end();
            }
          });
      } finally {
        uninstall();
      }
      const raw = [...tracing.spans(), ...(otherPipeline?.() ?? [])];
      if (root && !raw.some((s) => s.name === ROOT_SPAN)) throw new Error("the root span was not exported");
      const spans = raw.map(toNeutralSpan);
      return { report: buildReport(spans, { source: { kind: "in-process", location: "peer-run" } }), spans, raw };
    },
  };
}

/** The k-th request of a turn gets the k-th handler (an agent loop's calls, in order). */
/** The report's LLM totals: what one call counted once must leave unchanged. */
export function llmTotals(report: Report) {
  const { calls, inputTokens, outputTokens, cacheReadTokens, costUsd } = report.llm;
  return { calls, inputTokens, outputTokens, cacheReadTokens, costUsd };
}

export function inOrder(...handlers: Handler[]): Handler {
  let next = 0;
  return (req, res, body) => handlers[Math.min(next++, handlers.length - 1)]!(req, res, body);
}
