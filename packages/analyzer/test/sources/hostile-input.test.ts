// Inputs that used to crash or fool the analyzer (issue 12): each is read with one clear warning
// and everything else in the file kept.
import { afterAll, describe, expect, it } from "vitest";
import { readFile, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const T1 = "0af7651916cd43dd8448eb211c80319c";
const START = "1764100800000000000";
const END = "1764100801000000000";
const span = (spanId: string, extra: Record<string, unknown> = {}) => ({
  traceId: T1,
  spanId,
  name: `op-${spanId}`,
  kind: 1,
  startTimeUnixNano: START,
  endTimeUnixNano: END,
  ...extra,
});
const line = (spans: unknown[], resourceAttributes: unknown = [{ key: "service.name", value: { stringValue: "svc" } }]) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: {}, spans }] }] });

/** JSON text of an AnyValue nested `depth` levels (built as text: JSON.stringify itself overflows on it). */
function nestedValueJson(kind: "kvlistValue" | "arrayValue", depth: number): string {
  const open = kind === "kvlistValue" ? '{"kvlistValue":{"values":[{"key":"k","value":' : '{"arrayValue":{"values":[';
  const close = kind === "kvlistValue" ? "}]}}" : "]}}";
  return `${open.repeat(depth)}{"stringValue":"bottom"}${close.repeat(depth)}`;
}

describe("spans without times", () => {
  it("missing, null or zero start/end times skip the span with one warning (not a 1970 start)", async () => {
    const spans = [
      span("0000000000000001"),
      span("0000000000000002", { startTimeUnixNano: undefined }),
      span("0000000000000003", { endTimeUnixNano: null }),
      span("0000000000000004", { startTimeUnixNano: null, endTimeUnixNano: null }),
      span("0000000000000005", { startTimeUnixNano: "0" }),
    ];
    const { spans: read, warnings } = await readFile(tmp.write("no-times.jsonl", `${line(spans)}\n`));
    expect(read.map((s) => s.spanId)).toEqual(["0000000000000001"]);
    expect(warnings).toEqual(["span without a start or end time skipped: 4 times (first at no-times.jsonl line 1)"]);
  });

  it("a Jaeger UI span with startTime 0 is skipped the same way", async () => {
    const trace = {
      traceID: T1,
      spans: [
        { traceID: T1, spanID: "1", operationName: "a", startTime: 0, duration: 5 },
        { traceID: T1, spanID: "2", operationName: "b", startTime: 1764100800000000, duration: 5 },
      ],
      processes: {},
    };
    const { spans, warnings } = await readFile(tmp.write("ui-no-times.json", JSON.stringify({ data: [trace] })));
    expect(spans.map((s) => s.name)).toEqual(["b"]);
    expect(warnings).toEqual(["span without a start or end time skipped (ui-no-times.json line 1)"]);
  });
});

describe("attribute values nested 6,000 levels deep", () => {
  for (const kind of ["kvlistValue", "arrayValue"] as const) {
    it(`a ${kind} in a span: depth bounded, the span and the rest of the file kept`, async () => {
      const deep = line([span("0000000000000001", { attributes: [] })]).replace(
        '"attributes":[]',
        `"attributes":[{"key":"deep","value":${nestedValueJson(kind, 6000)}}]`,
      );
      const path = tmp.write(`deep-${kind}.jsonl`, `${deep}\n${line([span("0000000000000002")])}\n`);
      const { spans, warnings } = await readFile(path);
      expect(spans.map((s) => s.spanId)).toEqual(["0000000000000001", "0000000000000002"]);
      if (kind === "kvlistValue") {
        expect(warnings).toEqual([`attribute values nested over 32 levels deep: deeper levels dropped (deep-${kind}.jsonl line 1)`]);
        expect(Object.keys(spans[0]!.attributes)).toEqual([]);
      } else {
        expect(warnings).toEqual([]);
      }
    });
  }

  it("in the resource attributes and in a pretty-printed document", async () => {
    const resource = `[{"key":"service.name","value":{"stringValue":"svc"}},{"key":"deep","value":${nestedValueJson("kvlistValue", 6000)}}]`;
    const text = line([span("0000000000000001")], []).replace('"attributes":[]', `"attributes":${resource}`);
    for (const [name, body] of [
      ["deep-resource.jsonl", `${text}\n`],
      ["deep-resource.json", text.replace("{", "{\n")],
    ] as const) {
      const { spans } = await readFile(tmp.write(name, body));
      expect(spans).toHaveLength(1);
      expect(spans[0]!.resource["service.name"]).toBe("svc");
    }
  });

  it("in a Jaeger UI tag value", async () => {
    const deep = `${"[".repeat(6000)}${"]".repeat(6000)}`;
    const text = `{"data":[{"traceID":"${T1}","spans":[{"traceID":"${T1}","spanID":"1","operationName":"a","startTime":1764100800000000,"duration":5,"tags":[{"key":"deep","type":"string","value":${deep}},{"key":"ok","type":"string","value":"yes"}]}],"processes":{}}]}`;
    const { spans } = await readFile(tmp.write("deep-tag.json", text));
    expect(spans.map((s) => s.attributes)).toEqual([{ ok: "yes" }]);
  });
});

describe("ids that are not hex", () => {
  it("are opaque strings, as Jaeger keeps them: spans read and linked to their parent", async () => {
    const spans = [
      { ...span("span-1"), traceId: "trace-123" },
      { ...span("span-2", { parentSpanId: "span-1" }), traceId: "trace-123" },
    ];
    const { spans: read, warnings } = await readFile(tmp.write("opaque.jsonl", `${line(spans)}\n`));
    expect(read.map((s) => [s.traceId, s.spanId, s.parentSpanId])).toEqual([
      ["trace-123", "span-1", undefined],
      ["trace-123", "span-2", "span-1"],
    ]);
    expect(warnings).toEqual([]);
  });

  it("empty ids skip the span; all-zero ids are read with a warning (invalid in OTLP)", async () => {
    const spans = [
      span(""),
      { ...span("0000000000000001"), traceId: "" },
      { ...span("0000000000000002"), traceId: "0".repeat(32) },
      span("0000000000000000"),
      span("0000000000000003"),
    ];
    const { spans: read, warnings } = await readFile(tmp.write("zero.jsonl", `${line(spans)}\n`));
    expect(read.map((s) => s.spanId)).toEqual(["0000000000000002", "0000000000000000", "0000000000000003"]);
    expect(warnings).toEqual([
      "span without a traceId/spanId skipped: 2 times (first at zero.jsonl line 1)",
      "span with an all-zero traceId/spanId (invalid in OTLP) read as it is: 2 times (first at zero.jsonl line 1)",
    ]);
  });

  it("Jaeger UI: non-hex ids are kept, short hex ids are padded as before", async () => {
    const trace = {
      traceID: "trace-123",
      spans: [
        { spanID: "span-1", operationName: "a", startTime: 1764100800000000, duration: 5 },
        { traceID: "abc", spanID: "f", operationName: "b", startTime: 1764100800000000, duration: 5 },
      ],
      processes: {},
    };
    const { spans } = await readFile(tmp.write("ui-opaque.json", JSON.stringify({ data: [trace] })));
    expect(spans.map((s) => [s.traceId, s.spanId])).toEqual([
      ["trace-123", "span-1"],
      ["00000000000000000000000000000abc", "000000000000000f"],
    ]);
  });
});

describe("a JSON line longer than the line bound", () => {
  // The bound defaults to V8's longest string (~512 MiB); here it is 4 KiB so the test writes 10 KB,
  // not 600 MB (scripts/analyzer-huge-inputs.ts checks the real size).
  it("is skipped with one warning giving its size; the lines around it are read", async () => {
    const long = line([span("0000000000000002", { name: "x".repeat(10_000) })]);
    const path = tmp.write("long.jsonl", [line([span("0000000000000001")]), long, line([span("0000000000000003")])].join("\n"));
    const { spans, warnings } = await readFile(path, { maxLineBytes: 4096 });
    expect(spans.map((s) => s.spanId)).toEqual(["0000000000000001", "0000000000000003"]);
    expect(warnings).toEqual([`JSON line over 0.004 MiB skipped (long.jsonl line 2, ${(long.length / 2 ** 20).toFixed(3)} MiB)`]);
  });

  it("as the last line without a newline, or the only line, it is still one clear line", async () => {
    const long = line([span("0000000000000002", { name: "x".repeat(10_000) })]);
    const last = await readFile(tmp.write("long-last.jsonl", `${line([span("0000000000000001")])}\n${long}`), { maxLineBytes: 4096 });
    expect(last.spans).toHaveLength(1);
    expect(last.warnings).toHaveLength(1);
    await expect(readFile(tmp.write("long-only.jsonl", `${long}\n`), { maxLineBytes: 4096 })).rejects.toThrow(
      /no readable trace data \(1 line\(s\), first bad at line 1\)/,
    );
  });
});
