import { describe, expect, it } from "vitest";
import * as otel from "@jotty/otel";

describe("@jotty/otel public API", () => {
  it("exports every entry point the README documents", () => {
    const expected = [
      "start",
      "shutdown",
      "addSpanProcessor",
      "getExportStats",
      "profile",
      "profileFunction",
      "profiled",
      "profiler",
      "segment",
      "PerformanceProfiler",
      "llmCall",
      "startLlmCall",
      "getActiveLlmCall",
      "toolCall",
      "usageFromOpenAIChat",
      "usageFromOpenAIResponses",
      "usageFromAnthropic",
      "usageFromGemini",
      "priceUsage",
      "priceRates",
      "setPriceOverrides",
      "runSteps",
      "installFetchCapture",
      "startCpuProfiler",
      "stopCpuProfiler",
    ];
    for (const name of expected) expect(typeof (otel as Record<string, unknown>)[name], name).toMatch(/function|object/);
  });
});
