// fast-check arbitraries for trace files an attacker or a broken exporter could write: OTLP,
// Jaeger v3 and Jaeger UI documents with random types, ids, times, sizes, nesting depths and
// control characters, as JSON lines or one document, cut anywhere. Seeds are fixed (FUZZ_SEED)
// so CI is deterministic; FUZZ_RUNS makes a longer run.
import fc from "fast-check";

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261202);
export const fuzzRuns = (ciRuns: number) => Number(process.env.FUZZ_RUNS ?? ciRuns);
/** A test's time limit: generous for CI's runs on a loaded machine, scaled for longer runs. */
export const fuzzTimeout = (ciRuns: number, runs = fuzzRuns(ciRuns)) => 120_000 * Math.max(1, runs / ciRuns);

const BASE_NS = 1_764_100_800_000_000_000n;
const maybeBroken = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: fc.anything() });

/** Text full of what must never reach a terminal raw: ESC/CSI/OSC sequences, C0/C1 bytes, markup. */
export const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "\u001b[2J",
      "\u001b]8;;http://evil\u0007",
      "\u0007",
      "\u009b31m",
      "\r",
      "\n",
      "\u0000",
      "\t",
      "\u007f",
      "|",
      "<img src=x onerror=alert(1)>",
      "[x](javascript:alert(1))",
    ),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 8,
});

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const id = (bytes: number, pool: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pool) },
    { weight: 2, arbitrary: hex(bytes) },
    { weight: 1, arbitrary: hex(bytes).map((h) => Buffer.from(h, "hex").toString("base64")) },
    { weight: 1, arbitrary: fc.constantFrom("", "0".repeat(bytes * 2), "trace-123", "span-1") },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.anything() },
  );
const traceIds = ["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736", "trace-123"];
const spanIds = ["0000000000000001", "0000000000000002", "0000000000000003", "span-1"];

const time = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 13n }).map((d) => String(BASE_NS + d)) },
  { weight: 1, arbitrary: fc.constantFrom(null, "", "0", "-1", "NaN", "1e400", "18446744073709551615", "1.5e18") },
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.record({ low: fc.integer(), high: fc.integer() }), fc.anything()) },
);

/** Placeholder replaced by an AnyValue nested this deep (built as text: JSON.stringify overflows). */
const deepMarker = fc.integer({ min: 1, max: 7000 }).map((depth) => ({ stringValue: `@@DEEP${depth}@@` }));

const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    { weight: 4, arbitrary: fc.record({ stringValue: fc.oneof(hostileText, fc.string({ maxLength: 400 })) }) },
    { weight: 2, arbitrary: fc.record({ intValue: fc.oneof(fc.string(), fc.integer(), fc.constant("99999999999999999999999")) }) },
    { weight: 1, arbitrary: fc.record({ doubleValue: fc.oneof(fc.double(), fc.constantFrom("NaN", "Infinity")) }) },
    { weight: 1, arbitrary: fc.record({ boolValue: fc.anything() }) },
    { weight: 1, arbitrary: fc.record({ arrayValue: fc.record({ values: fc.array(tie("value"), { maxLength: 3 }) }) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: hostileText, value: tie("value") }), { maxLength: 3 }) }) }),
    },
    { weight: 1, arbitrary: fc.anything() },
  ),
}));
// Rare, as each is ~100 KB of text: one deep value in a few files is enough to prove the bound.
const attributeValue = fc.oneof({ weight: 30, arbitrary: anyValue.value }, { weight: 1, arbitrary: deepMarker });
const attributes = maybeBroken(
  fc.array(
    maybeBroken(
      fc.record({
        key: fc.oneof(fc.constantFrom("gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.operation.name", "jotty.step.name"), hostileText),
        value: attributeValue,
      }),
    ),
    { maxLength: 5 },
  ),
);

const otlpSpan = fc.record(
  {
    traceId: id(16, traceIds),
    spanId: id(8, spanIds),
    parentSpanId: maybeBroken(fc.constantFrom("", "0000000000000001", "0000000000000002", "00000000000000ff", "span-1")),
    name: maybeBroken(fc.oneof(hostileText, fc.constantFrom("llm_call", "invoke_workflow run", "execute_tool x"))),
    kind: maybeBroken(fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom("SPAN_KIND_CLIENT", "server"))),
    startTimeUnixNano: time,
    endTimeUnixNano: time,
    attributes,
    status: maybeBroken(fc.record({ code: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.string()), message: maybeBroken(hostileText) })),
    events: maybeBroken(fc.array(fc.record({ name: maybeBroken(hostileText), timeUnixNano: time, attributes }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const otlpDoc = fc.record({
  resourceSpans: maybeBroken(
    fc.array(
      maybeBroken(
        fc.record({
          resource: maybeBroken(fc.record({ attributes })),
          scopeSpans: maybeBroken(
            fc.array(maybeBroken(fc.record({ spans: maybeBroken(fc.array(otlpSpan, { minLength: 1, maxLength: 8 })) })), { minLength: 1, maxLength: 2 }),
          ),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  ),
});

const jaegerTag = fc.record({
  key: maybeBroken(fc.oneof(fc.constantFrom("span.kind", "otel.status_code", "error", "event", "gen_ai.request.model"), hostileText)),
  type: maybeBroken(fc.constantFrom("string", "bool", "int64", "float64", "binary")),
  value: fc.oneof({ weight: 10, arbitrary: hostileText }, { weight: 1, arbitrary: deepMarker }, { weight: 5, arbitrary: fc.anything() }),
});
const jaegerSpan = fc.record(
  {
    traceID: id(16, traceIds),
    spanID: id(8, ["1", "2", "00f067aa0ba902b7", "span-1"]),
    parentSpanID: fc.anything(),
    operationName: fc.oneof(hostileText, fc.anything()),
    references: maybeBroken(
      fc.array(fc.record({ refType: fc.constantFrom("CHILD_OF", "FOLLOWS_FROM"), traceID: id(16, traceIds), spanID: id(8, ["1", "2"]) }), { maxLength: 2 }),
    ),
    startTime: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1_764_100_800_000_000, max: 1_764_100_900_000_000 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, null, -5, 1e300) },
      { weight: 1, arbitrary: fc.anything() },
    ),
    duration: fc.oneof(fc.nat(10_000_000), fc.anything()),
    tags: maybeBroken(fc.array(maybeBroken(jaegerTag), { maxLength: 4 })),
    logs: maybeBroken(fc.array(fc.record({ timestamp: fc.anything(), fields: maybeBroken(fc.array(jaegerTag, { maxLength: 2 })) }), { maxLength: 2 })),
    processID: fc.constantFrom("p1", "p2", "nope"),
  },
  { requiredKeys: [] },
);
const jaegerTrace = fc.record(
  {
    traceID: id(16, traceIds),
    spans: maybeBroken(fc.array(maybeBroken(jaegerSpan), { minLength: 1, maxLength: 6 })),
    processes: maybeBroken(fc.record({ p1: fc.record({ serviceName: maybeBroken(hostileText), tags: maybeBroken(fc.array(jaegerTag, { maxLength: 2 })) }) })),
  },
  { requiredKeys: [] },
);

export const traceDocument = fc.oneof(
  { weight: 4, arbitrary: otlpDoc },
  { weight: 1, arbitrary: otlpDoc.map((d) => ({ result: d })) }, // Jaeger /api/v3
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({ data: maybeBroken(fc.array(maybeBroken(jaegerTrace), { minLength: 1, maxLength: 3 })) }),
      fc.array(jaegerTrace, { minLength: 1, maxLength: 2 }),
      jaegerTrace,
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);

/** The value one time in four, else null. */
export const sometimes = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

/** File text: JSON lines or one pretty document, maybe with a BOM, CRLF, garbage lines, cut anywhere. */
export const traceFileText = fc
  .record({
    docs: fc.array(traceDocument, { minLength: 1, maxLength: 4 }),
    pretty: fc.boolean(),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    garbage: sometimes(fc.oneof(hostileText, fc.constantFrom("{", "[1,2]", "null", "\u0000\u0000"))),
    cut: sometimes(fc.nat()),
  })
  .map(({ docs, pretty, bom, crlf, garbage, cut }) => {
    let text = pretty ? JSON.stringify(docs[0], null, 2) : docs.map((d) => JSON.stringify(d) ?? "null").join(crlf ? "\r\n" : "\n");
    if (!pretty && garbage !== null) text = `${text}\n${garbage}\n${JSON.stringify(docs[0])}`;
    text = text.replace(/\{"stringValue":"@@DEEP(\d+)@@"\}/g, (_m, depth: string) => nested(Number(depth)));
    if (cut !== null) text = text.slice(0, text.length - (cut % Math.max(1, text.length)));
    return bom ? `\uFEFF${text}` : text;
  });

function nested(depth: number): string {
  const kv = depth % 2 === 0;
  const open = kv ? '{"kvlistValue":{"values":[{"key":"k","value":' : '{"arrayValue":{"values":[';
  const close = kv ? "}]}}" : "]}}";
  return `${open.repeat(depth)}{"stringValue":"bottom"}${close.repeat(depth)}`;
}
