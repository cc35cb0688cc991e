// The file source on every format it reads and on broken files: one clear error, or warnings
// with the rest kept.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SourceError } from "../../src/sources/errors.js";
import { readFile, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const kv = (key: string, value: unknown) => ({ key, value });
const span = (traceId: string, spanId: string, extra: Record<string, unknown> = {}) => ({
  traceId,
  spanId,
  name: `op-${spanId.slice(-1)}`,
  kind: 1,
  startTimeUnixNano: "1764100800000000000",
  endTimeUnixNano: "1764100801000000000",
  ...extra,
});
const T1 = "0af7651916cd43dd8448eb211c80319c";
const doc = (spans: unknown[], service = "svc") => ({
  resourceSpans: [{ resource: { attributes: [kv("service.name", { stringValue: service })] }, scopeSpans: [{ scope: {}, spans }] }],
});
const line = (spans: unknown[]) => JSON.stringify(doc(spans));

describe("file source: formats", () => {
  it("reads OTLP JSON lines, skipping an unreadable line with a warning naming it", async () => {
    const path = tmp.write(
      "lines.jsonl",
      [line([span(T1, "0000000000000001")]), "{not json", "", line([span(T1, "0000000000000002", { parentSpanId: "0000000000000001" })])].join("\n") + "\n",
    );
    const { spans, result, warnings } = await readFile(path);
    expect(result).toEqual({ format: "otlp-jsonl", spans: 2 });
    expect(spans.map((s) => [s.spanId, s.parentSpanId])).toEqual([
      ["0000000000000001", undefined],
      ["0000000000000002", "0000000000000001"],
    ]);
    expect(warnings).toEqual(["unreadable JSON line skipped (lines.jsonl line 2)"]);
  });

  it("keeps every complete line of a JSON-lines file cut mid-line (a crashed writer)", async () => {
    const full = line([span(T1, "0000000000000003")]);
    const path = tmp.write("cut.jsonl", `${line([span(T1, "0000000000000001")])}\n${full.slice(0, 40)}`);
    const { spans, warnings } = await readFile(path);
    expect(spans).toHaveLength(1);
    expect(warnings).toEqual(["unreadable JSON line skipped (cut.jsonl line 2)"]);
  });

  it("reads a pretty-printed document whose resource comes after its spans", async () => {
    const body = {
      resourceSpans: [{ scopeSpans: [{ spans: [span(T1, "0000000000000001")] }], resource: { attributes: [kv("service.name", { stringValue: "late" })] } }],
    };
    const { spans, result } = await readFile(tmp.write("late.json", JSON.stringify(body, null, 2)));
    expect(result.format).toBe("otlp-json");
    expect(spans[0]!.resource).toEqual({ "service.name": "late" });
  });

  it("streams a single-line document larger than the sniffed head", async () => {
    const many = Array.from({ length: 12_000 }, (_, i) =>
      span(T1, (i + 1).toString(16).padStart(16, "0"), { attributes: [kv("pad", { stringValue: "x".repeat(60) })] }),
    );
    const text = JSON.stringify(doc(many));
    expect(text.length).toBeGreaterThan(1 << 20);
    const { spans, result } = await readFile(tmp.write("big.json", text));
    expect(result).toEqual({ format: "otlp-json", spans: 12_000 });
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(12_000);
  });

  it("reads every OTLP JSON encoding variant: base64 ids, numeric and Long times, enum names, all AnyValues", async () => {
    const raw = {
      traceId: Buffer.from(T1, "hex").toString("base64"),
      spanId: Buffer.from("00f067aa0ba902b7", "hex").toString("base64"),
      parentSpanId: "",
      name: "variant",
      kind: "SPAN_KIND_CLIENT",
      startTimeUnixNano: 1764100800000000000,
      endTimeUnixNano: { low: 0x5e3b3a00 | 0, high: 410_758_117 },
      status: { code: "STATUS_CODE_ERROR", message: "boom" },
      attributes: [
        kv("s", { stringValue: "x" }),
        kv("i", { intValue: "42" }),
        kv("d", { doubleValue: 1.5 }),
        kv("b", { boolValue: true }),
        kv("bytes", { bytesValue: "AAAwOQ==" }),
        kv("strings", { arrayValue: { values: [{ stringValue: "a" }, { stringValue: "b" }] } }),
        kv("ints", { arrayValue: { values: [{ intValue: "1" }, { intValue: 2 }] } }),
        kv("mixed", { arrayValue: { values: [{ stringValue: "a" }, { intValue: "1" }, { boolValue: false }] } }),
        kv("empty", { arrayValue: {} }),
        kv("map", { kvlistValue: { values: [kv("k", { stringValue: "v" }), kv("n", { kvlistValue: { values: [kv("deep", { intValue: "7" })] } })] } }),
        kv("nothing", {}),
      ],
    };
    const { spans, warnings } = await readFile(tmp.write("variants.json", JSON.stringify(doc([raw]))));
    expect(warnings).toEqual([]);
    const s = spans[0]!;
    expect([s.traceId, s.spanId, s.parentSpanId, s.kind, s.status]).toEqual([T1, "00f067aa0ba902b7", undefined, "CLIENT", { code: "ERROR", message: "boom" }]);
    expect(s.startNs).toBe(1764100800000000000);
    expect(s.endNs).toBe(410_758_117 * 2 ** 32 + (0x5e3b3a00 >>> 0));
    expect(s.attributes).toEqual({
      s: "x",
      i: 42,
      d: 1.5,
      b: true,
      bytes: "AAAwOQ==",
      strings: ["a", "b"],
      ints: [1, 2],
      mixed: ["a", "1", "false"],
      empty: [],
      "map.k": "v",
      "map.n.deep": 7,
    });
  });

  it("reads Jaeger UI traces written one per line", async () => {
    const trace = {
      traceID: "1",
      spans: [{ traceID: "1", spanID: "a", operationName: "root", references: [], startTime: 1_764_100_800_000_000, duration: 5, tags: [], processID: "p1" }],
      processes: { p1: { serviceName: "ui", tags: [{ key: "host", type: "string", value: "h" }] } },
    };
    const { spans, result } = await readFile(tmp.write("ui.jsonl", `${JSON.stringify({ data: [trace] })}\n`));
    expect(result.format).toBe("otlp-jsonl");
    expect(spans[0]).toMatchObject({
      traceId: "00000000000000000000000000000001",
      spanId: "000000000000000a",
      resource: { "service.name": "ui", host: "h" },
      endNs: (1_764_100_800_000_000 + 5) * 1000,
    });
  });

  it("an empty file is an empty window", async () => {
    expect(await readFile(tmp.write("empty.jsonl", "\n  \n"))).toEqual({ spans: [], result: { format: "empty", spans: 0 }, warnings: [] });
  });
});

describe("file source: wrong types inside spans are warnings, the rest is kept", () => {
  it("skips spans without usable ids or times, counting each kind once", async () => {
    const spans = [
      span(T1, "0000000000000001"),
      span(T1, "0000000000000002", { startTimeUnixNano: "soon" }),
      { ...span(T1, "0000000000000003"), traceId: 12 },
      { ...span(T1, "0000000000000004"), spanId: undefined },
      "not a span",
      null,
      span(T1, "0000000000000005", { parentSpanId: 7, attributes: "nope", kind: "WEIRD", status: "bad", name: 7 }),
    ];
    const { spans: read, warnings } = await readFile(tmp.write("types.jsonl", `${line(spans)}\n`));
    expect(read.map((s) => s.spanId)).toEqual(["0000000000000001", "0000000000000005"]);
    expect(read[1]).toMatchObject({ parentSpanId: undefined, attributes: {}, kind: "UNSPECIFIED", status: { code: "UNSET" }, name: "7" });
    expect(warnings).toEqual([
      "span with unreadable start/end time skipped (types.jsonl line 1)",
      "span without a traceId/spanId skipped: 2 times (first at types.jsonl line 1)",
      "span that is not an object skipped: 2 times (first at types.jsonl line 1)",
      "span with an unreadable parentSpanId read as a root (types.jsonl line 1)",
    ]);
  });

  it("skips JSON lines that are not trace objects", async () => {
    const path = tmp.write("mixed.jsonl", `${line([span(T1, "0000000000000001")])}\n[1,2]\n{"hello":"world"}\n`);
    const { spans, warnings } = await readFile(path);
    expect(spans).toHaveLength(1);
    expect(warnings).toEqual(["line that is not an OTLP or Jaeger trace object skipped: 2 times (first at mixed.jsonl line 2)"]);
  });
});

describe("file source: a failing consumer", () => {
  for (const [name, text] of [
    ["JSON lines", `${line([span(T1, "0000000000000001")])}\n`],
    ["a document", JSON.stringify(doc([span(T1, "0000000000000001")]), null, 2)],
  ] as const) {
    it(`is not blamed on the file (${name})`, async () => {
      const { readTraceFile } = await import("../../src/sources/file.js");
      const { WarningLog } = await import("../../src/sources/warnings.js");
      const path = tmp.write(`sink-${name.length}.json`, text);
      const error = await readTraceFile(
        path,
        () => {
          throw new Error("engine bug");
        },
        new WarningLog(),
      ).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(SourceError);
      expect((error as Error).message).toBe("engine bug");
    });
  }
});

describe("file source: unreadable files are one clear error", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a missing file", () => join(tmp.dir, "missing.jsonl"), /^cannot read traces file .*missing\.jsonl: no such file$/],
    [
      "a directory",
      () => {
        const dir = join(tmp.dir, "a-dir");
        mkdirSync(dir, { recursive: true });
        return dir;
      },
      /^cannot read traces file .*a-dir: is a directory$/,
    ],
    [
      "a text file",
      () => tmp.write("notes.txt", "\n\nhello world, these are not traces\n"),
      /^.*notes\.txt: not a JSON traces file \(line 3 starts with "hello world, these a"\)$/,
    ],
    [
      "a truncated pretty-printed document",
      () => tmp.write("truncated.json", JSON.stringify(doc([span(T1, "0000000000000001"), span(T1, "0000000000000002")]), null, 2).slice(0, 300)),
      /^.*truncated\.json: not valid JSON by line \d+ \(.+\); is the file truncated\?$/,
    ],
    [
      "JSON lines with no readable line",
      () => tmp.write("garbage.jsonl", "{oops\n{still not\n"),
      /^.*garbage\.jsonl: not valid JSON by line \d \(.+\); is the file truncated\?$/,
    ],
    [
      "JSON lines whose every line is broken",
      () => tmp.write("broken.jsonl", `${line([span(T1, "0000000000000001")]).slice(0, -1)}\n{"resourceSpans": [\n`),
      /^.*broken\.jsonl: not valid JSON by line \d \(.+\); is the file truncated\?$/,
    ],
    ["a JSON document that is not traces", () => tmp.write("other.json", '{\n  "name": "package"\n}\n'), /^.*other\.json: JSON, but neither OTLP/],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const error = await readFile(make()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    });
  }
});
