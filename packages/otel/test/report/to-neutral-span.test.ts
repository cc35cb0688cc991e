import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { profile } from "../../src/segments/profile.js";
import { hrTimeToNs, toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { installHarness } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

describe("toNeutralSpan()", () => {
  it("maps ids, parent, kind, times, status, attributes, events and a shared resource object", async () => {
    await profile("root", async () => {
      await llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => call.setUsage({ inputTokens: 3, outputTokens: 4 }));
      profile("fails", () => {
        throw new Error("x");
      });
    }).catch(() => undefined);

    const [llm, fails, root] = ["llm_call", "fails", "root"].map((n) => h.span(n));
    const neutral = toNeutralSpan(llm!);
    expect(neutral).toMatchObject({
      traceId: llm!.spanContext().traceId,
      spanId: llm!.spanContext().spanId,
      parentSpanId: root!.spanContext().spanId,
      name: "llm_call",
      kind: "CLIENT",
      status: { code: "UNSET" },
      attributes: { "gen_ai.usage.input_tokens": 3, "gen_ai.usage.output_tokens": 4, "gen_ai.request.model": "gpt-4o-mini" },
    });
    expect(neutral.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(neutral.startNs).toBe(llm!.startTime[0] * 1e9 + llm!.startTime[1]);
    expect(neutral.endNs).toBe(hrTimeToNs(llm!.endTime));
    expect(neutral.endNs).toBeGreaterThanOrEqual(neutral.startNs);
    expect(neutral.events).toBeUndefined();

    const rootNeutral = toNeutralSpan(root!);
    expect(rootNeutral.parentSpanId).toBeUndefined();
    expect("parentSpanId" in rootNeutral).toBe(false);
    expect(rootNeutral.kind).toBe("INTERNAL");
    expect(rootNeutral.resource).toBe(neutral.resource); // one object per resource
    expect(rootNeutral.resource["service.name"]).toEqual(expect.any(String));

    const failed = toNeutralSpan(fails!);
    expect(failed.status).toEqual({ code: "ERROR", message: "x" });
    expect(failed.events).toHaveLength(1);
    expect(failed.events![0]).toMatchObject({ name: "exception", attributes: { "exception.message": "x" } });
    expect(failed.events![0]!.timeNs).toBe(hrTimeToNs(fails!.events[0]!.time));
    expect(fails!.kind).toBe(SpanKind.INTERNAL);
    expect(fails!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
