// The capture's own attributes written straight into the SDK span must leave the span exactly as
// span.setAttributes would: same attributes, same dropped count, whatever the limits and values.
import type { Span } from "@opentelemetry/api";
import { TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setOwnAttributes, type OwnAttributes } from "../../src/llm/own-attributes.js";

const value = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 4 }),
);
const attributes = fc.dictionary(fc.oneof(fc.constantFrom("a", "b", "gen_ai.usage.input_tokens", ""), fc.string({ maxLength: 6 })), value, { maxKeys: 8 });

function spanPair(limits: { attributeCountLimit?: number; attributeValueLengthLimit?: number }) {
  const tracer = new TracerProvider({ spanLimits: limits }).getTracer("t");
  return [tracer.startSpan("ours", { attributes: { pre: 1 } }), tracer.startSpan("sdk", { attributes: { pre: 1 } })] as const;
}
const seen = (span: Span) => {
  const readable = span as unknown as ReadableSpan;
  return { attributes: readable.attributes, dropped: readable.droppedAttributesCount };
};

describe("setOwnAttributes", () => {
  it("gives the span what setAttributes gives it, across limits and repeated calls", () => {
    fc.assert(
      fc.property(
        fc.array(attributes, { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        (batches, countLimit, lengthLimit) => {
          const [ours, sdk] = spanPair({ attributeCountLimit: countLimit, attributeValueLengthLimit: lengthLimit });
          for (const batch of batches) {
            setOwnAttributes(ours, batch as OwnAttributes);
            sdk.setAttributes(batch);
          }
          expect(seen(ours)).toEqual(seen(sdk));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("skips the SDK's per-value work for plain values, keeps its own copy of an array, leaves an ended span alone", () => {
    const [span] = spanPair({});
    let sdkCalls = 0;
    const sdkSetAttribute = span.setAttribute.bind(span);
    span.setAttribute = (key, value) => {
      sdkCalls++;
      return sdkSetAttribute(key, value);
    };
    const names = ["search"];
    setOwnAttributes(span, { names, tokens: 16, missing: true, model: "gpt" });
    expect(sdkCalls).toBe(0);
    names.push("later");
    expect(seen(span).attributes.names).toEqual(["search"]);
    span.end();
    setOwnAttributes(span, { after: 1 });
    expect(seen(span).attributes.after).toBeUndefined();
  });
});
