import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { toolCall } from "../../src/llm/tool-call.js";
import { profile } from "../../src/segments/profile.js";
import { installHarness, parentOf } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

describe("toolCall()", () => {
  it("runs fn in an `execute_tool {name}` INTERNAL span with the GenAI tool attributes", async () => {
    const result = await profile("agent", () => toolCall("web_search", async () => ["hit"], { "app.query_length": 12 }));
    expect(result).toEqual(["hit"]);
    const span = h.span("execute_tool web_search");
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes).toEqual({
      "app.query_length": 12,
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "web_search",
    });
    expect(parentOf(span)).toBe(h.span("agent").spanContext().spanId);
  });

  it("keeps sync tools sync and records failures", () => {
    expect(toolCall("add", () => 1 + 1)).toBe(2);
    const boom = new Error("tool broke");
    expect(() =>
      toolCall("explode", () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(h.span("execute_tool explode").status).toEqual({ code: SpanStatusCode.ERROR, message: "tool broke" });
  });
});
