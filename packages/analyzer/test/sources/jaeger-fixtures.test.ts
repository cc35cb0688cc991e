// Every file in fixtures/jaeger read through --file: span count, tree and attributes.
import { describe, expect, it } from "vitest";
import { fixtures, readFile } from "./helpers.js";

const jaeger = (name: string) => `${fixtures}jaeger/${name}`;

describe("Jaeger fixtures through the file source", () => {
  // Jaeger's snapshots come from a test span with no times: proto3 JSON omits zero values, so the
  // span has neither startTimeUnixNano nor endTimeUnixNano. Read as 1970 it would stretch a report
  // over 56 years; like any span without times it is skipped, with one warning naming the file.
  for (const name of ["apiv3-GetTrace.json", "apiv3-FindTraces.json"]) {
    it(`${name}: the Jaeger v3 format, its one span has no times (proto3 zero) and is skipped with a warning`, async () => {
      const { spans, result, warnings } = await readFile(jaeger(name));
      expect(result).toEqual({ format: "jaeger-api-v3", spans: 0 });
      expect(spans).toEqual([]);
      expect(warnings).toEqual([`span without a start or end time skipped (${name} span 1)`]);
    });
  }

  it("otlp2jaeger-in.json: two spans (the same id twice) under a missing parent", async () => {
    const { spans, result } = await readFile(jaeger("otlp2jaeger-in.json"));
    expect(result).toEqual({ format: "otlp-json", spans: 2 });
    for (const span of spans) {
      expect(span).toEqual({
        traceId: "83a9efd15c1c98a977e0711cc93ee28b",
        spanId: "e127af99e3b3e074",
        parentSpanId: "909541b92cf05311",
        name: "okey-dokey-0",
        kind: "SERVER",
        startNs: 1706678909209712000,
        endNs: 1706678909209835000,
        status: { code: "UNSET" },
        attributes: { "net.peer.ip": "1.2.3.4", "peer.service": "telemetrygen-client" },
        resource: { "service.name": "telemetrygen" },
      });
    }
    // Float epoch ns keep ~256 ns resolution (model.ts), so a 123 µs span reads as 123 µs ± 256 ns.
    expect(Math.abs(spans[0]!.endNs - spans[0]!.startNs - 123_000)).toBeLessThanOrEqual(256);
  });

  it("otlp2jaeger-out.json (Jaeger UI download) reads to the same spans as its OTLP original", async () => {
    const ui = await readFile(jaeger("otlp2jaeger-out.json"));
    const otlp = await readFile(jaeger("otlp2jaeger-in.json"));
    expect(ui.result).toEqual({ format: "jaeger-ui-json", spans: 2 });
    expect(ui.warnings).toEqual([]);
    expect(ui.spans).toEqual(otlp.spans);
  });

  it("otel_traces_01.json: 4 spans in 2 traces with every AnyValue kind, events and kinds", async () => {
    const { spans, result, warnings } = await readFile(jaeger("otel_traces_01.json"));
    expect(result).toEqual({ format: "otlp-json", spans: 4 });
    expect(warnings).toEqual([]);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(["00000000000000010000000000000000", "00000000000000020000000000000000"]));
    expect(spans.map((s) => [s.spanId, s.parentSpanId, s.kind])).toEqual([
      ["0000000000000002", "0000000000000003", "SERVER"],
      ["0000000000000003", "0000000000000010", "CLIENT"],
      ["0000000000000004", "0000000000000011", "PRODUCER"],
      ["0000000000000005", "0000000000000010", "CONSUMER"],
    ]);
    for (const span of spans) {
      expect(span.attributes).toEqual({
        "peer.service": "service-y",
        "peer.ipv4": 23456,
        blob: "AAAwOQ==",
        temperature: 72.5,
      });
      expect(span.status.code).toBe("ERROR");
      expect(span.resource).toEqual({ "service.name": "service-x" });
      expect(Math.abs(span.endNs - span.startNs - 5000)).toBeLessThanOrEqual(256);
      expect(span.events).toEqual([
        { name: "testing-event", timeNs: 1485467191639875000, attributes: { "event-x": "event-y" } },
        { name: "", timeNs: 1485467191639875000, attributes: { x: "y" } },
      ]);
    }
    // All spans of one resource share one resource object.
    expect(new Set(spans.map((s) => s.resource)).size).toBe(1);
  });

  for (const name of ["apiv3-FindTraceSummaries.json", "apiv3-GetServices.json", "apiv3-GetOperations.json"]) {
    it(`${name} is not trace data: one clear error naming the file`, async () => {
      await expect(readFile(jaeger(name))).rejects.toThrow(new RegExp(`${name}: JSON, but neither OTLP \\(resourceSpans\\) nor a Jaeger trace`));
    });
  }
});
