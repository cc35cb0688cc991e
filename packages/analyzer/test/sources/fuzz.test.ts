// Property test: malformed OTLP input never escapes the error path. A parsed document of any
// shape converts without throwing (bad spans become warnings) and the engine reports on what
// was read; a file of any bytes either reads or fails with one SourceError line.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import { SourceError } from "../../src/sources/errors.js";
import { jaegerUiTracesOf, readJaegerUiTrace } from "../../src/sources/jaeger-ui-json.js";
import { readOtlpDocument, resourceSpansOf, ResourceCache } from "../../src/sources/otlp-json.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { readFile, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const maybeBroken = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: fc.anything() });
const hexId = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const nanosArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom("", "NaN", "1e400", "-5"),
);
const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.record({ stringValue: fc.string() }),
    fc.record({ intValue: fc.oneof(fc.string(), fc.integer()) }),
    fc.record({ doubleValue: fc.oneof(fc.double(), fc.constantFrom("NaN", "Infinity")) }),
    fc.record({ boolValue: fc.anything() }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie("value"), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string(), value: tie("value") }), { maxLength: 3 }) }) }),
    fc.anything(),
  ),
}));
const attributes = maybeBroken(fc.array(maybeBroken(fc.record({ key: fc.string(), value: anyValue.value })), { maxLength: 4 }));
const traceIds = ["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736"];
const span = fc.record(
  {
    traceId: maybeBroken(fc.oneof(fc.constantFrom(...traceIds), hexId(16), hexId(16).map((h) => Buffer.from(h, "hex").toString("base64")))),
    spanId: maybeBroken(fc.oneof(fc.constantFrom("0000000000000001", "0000000000000002", "0000000000000003"), hexId(8))),
    parentSpanId: maybeBroken(fc.constantFrom("", "0000000000000001", "0000000000000002", "00000000000000ff")),
    name: maybeBroken(fc.string()),
    kind: maybeBroken(fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom("SPAN_KIND_CLIENT", "server"))),
    startTimeUnixNano: maybeBroken(nanosArb),
    endTimeUnixNano: maybeBroken(nanosArb),
    attributes,
    status: maybeBroken(fc.record({ code: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.string()), message: fc.anything() })),
    events: maybeBroken(fc.array(fc.record({ name: fc.anything(), timeUnixNano: nanosArb, attributes }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const doc = fc.record({
  resourceSpans: maybeBroken(
    fc.array(
      maybeBroken(
        fc.record({
          resource: maybeBroken(fc.record({ attributes })),
          scopeSpans: maybeBroken(fc.array(maybeBroken(fc.record({ spans: maybeBroken(fc.array(span, { maxLength: 6 })) })), { maxLength: 2 })),
        }),
      ),
      { maxLength: 3 },
    ),
  ),
});

describe("fuzz: malformed OTLP", () => {
  it("converts any document shape without throwing, and the engine reports on the result", () => {
    fc.assert(
      fc.property(doc, (d) => {
        const spans: Span[] = [];
        const resourceSpans = resourceSpansOf(d);
        if (resourceSpans !== undefined) readOtlpDocument(resourceSpans, new ResourceCache(), (s) => spans.push(s), new WarningLog(), () => "fuzz");
        for (const s of spans) {
          expect(typeof s.traceId === "string" && s.traceId !== "").toBe(true);
          expect(typeof s.spanId === "string" && s.spanId !== "").toBe(true);
          expect(Number.isFinite(s.startNs) && Number.isFinite(s.endNs)).toBe(true);
        }
        const report = buildReport(spans, { source: { kind: "file", location: "fuzz" } });
        expect(report.spans).toBeLessThanOrEqual(spans.length);
        expect(() => JSON.stringify(report)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("converts any Jaeger UI document shape without throwing", () => {
    const tag = fc.record({ key: maybeBroken(fc.constantFrom("span.kind", "otel.status_code", "error", "event", "x")), type: maybeBroken(fc.constantFrom("string", "bool", "int64", "float64", "binary")), value: fc.anything() });
    const jaegerSpan = fc.record(
      {
        traceID: maybeBroken(fc.constantFrom("1", "0af7651916cd43dd8448eb211c80319c", "xyz")),
        spanID: maybeBroken(fc.constantFrom("a", "00f067aa0ba902b7", "")),
        parentSpanID: fc.anything(),
        operationName: fc.anything(),
        references: maybeBroken(fc.array(fc.record({ refType: fc.anything(), traceID: fc.anything(), spanID: fc.anything() }), { maxLength: 2 })),
        startTime: maybeBroken(fc.oneof(fc.integer(), fc.double(), fc.string())),
        duration: maybeBroken(fc.oneof(fc.integer(), fc.double(), fc.string())),
        tags: maybeBroken(fc.array(maybeBroken(tag), { maxLength: 4 })),
        logs: maybeBroken(fc.array(fc.record({ timestamp: fc.anything(), fields: maybeBroken(fc.array(tag, { maxLength: 2 })) }), { maxLength: 2 })),
        processID: fc.anything(),
        process: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const trace = fc.record({ traceID: fc.anything(), spans: maybeBroken(fc.array(maybeBroken(jaegerSpan), { maxLength: 5 })), processes: fc.anything() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.record({ data: maybeBroken(fc.array(maybeBroken(trace), { maxLength: 3 })) }), fc.array(trace, { maxLength: 2 }), trace), (d) => {
        const spans: Span[] = [];
        for (const t of jaegerUiTracesOf(d) ?? []) readJaegerUiTrace(t, (s) => spans.push(s), new WarningLog(), () => "fuzz");
        for (const s of spans) expect(typeof s.spanId === "string" && s.spanId !== "").toBe(true);
        expect(() => JSON.stringify(buildReport(spans, { source: { kind: "file", location: "fuzz" } }))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("reads or rejects with one SourceError line any file made from such documents, cut anywhere", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.nat(), async (docs, pretty, cut) => {
        const text = pretty ? JSON.stringify(docs[0], null, 2) : docs.map((d) => JSON.stringify(d)).join("\n");
        const path = tmp.write(`fuzz-${n++}.json`, text.slice(0, text.length - (cut % Math.max(1, text.length))));
        try {
          await readFile(path);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
      { numRuns: 150 },
    );
  });
});
