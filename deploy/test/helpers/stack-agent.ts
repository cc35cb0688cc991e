// The test agent exporting to a running native stack as one service and model; spans are
// batched every 100 ms so each run reaches the collector promptly.
import type { RunningStack } from "../../native/stack.ts";
import { AgentProcess } from "./agent-process.ts";

export function agentOnStack(stack: RunningStack, service: string, model: string): AgentProcess {
  return new AgentProcess({
    OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl,
    OTEL_SERVICE_NAME: service,
    OTEL_BSP_SCHEDULE_DELAY: "100",
    E2E_MODEL: model,
  });
}
