import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isFetchCaptureInstalled } from "../../src/capture/index.js";
import { getCpuProfiler, stopCpuProfiler } from "../../src/cpu-profile/index.js";
import { llmCall } from "../../src/llm/llm-call.js";
import { addSpanProcessor } from "../../src/sdk/processor-registry.js";
import { shutdown, start } from "../../src/wiring/start.js";
import { useQuietStart } from "./quiet-start.js";

const CHAT_COMPLETION = {
  id: "chatcmpl-test-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
};

const ENV_KEYS = ["OTEL_SERVICE_NAME", "OTEL_SDK_DISABLED", "OTEL_RESOURCE_ATTRIBUTES"];

function memory() {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  // SimpleSpanProcessor exports once async resource attributes (host id) settle.
  const finished = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { processor, finished };
}

function endOneSpan(name = "work"): void {
  trace.getTracer("test").startSpan(name).end();
}

describe("start()", () => {
  const saved = new Map<string, string | undefined>();
  // No network in unit tests: no OTLP exporter, no metric reader.
  useQuietStart();
  beforeEach(() => {
    for (const k of ENV_KEYS) saved.set(k, process.env[k]);
  });

  it("names the service from OTEL_SERVICE_NAME", async () => {
    vi.stubEnv("OTEL_SERVICE_NAME", "svc-from-env");
    const mem = memory();
    start({ spanProcessors: [mem.processor] });
    endOneSpan();
    expect((await mem.finished())[0]?.resource.attributes["service.name"]).toBe("svc-from-env");
  });

  it("lets start({ serviceName }) win over OTEL_SERVICE_NAME", async () => {
    vi.stubEnv("OTEL_SERVICE_NAME", "svc-from-env");
    const mem = memory();
    start({ serviceName: "svc-from-code", spanProcessors: [mem.processor] });
    endOneSpan();
    expect((await mem.finished())[0]?.resource.attributes["service.name"]).toBe("svc-from-code");
  });

  it("reads OTEL_RESOURCE_ATTRIBUTES, whose service.name wins over the package name", async () => {
    vi.stubEnv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment.name=test");
    const mem = memory();
    start({ spanProcessors: [mem.processor] });
    endOneSpan();
    const attrs = (await mem.finished())[0]?.resource.attributes;
    expect(attrs?.["service.name"]).toBe("from-attrs");
    expect(attrs?.["deployment.environment.name"]).toBe("test");
  });

  it("honours OTEL_TRACES_SAMPLER", async () => {
    vi.stubEnv("OTEL_TRACES_SAMPLER", "always_off");
    const mem = memory();
    start({ spanProcessors: [mem.processor] });
    endOneSpan();
    expect(await mem.finished()).toHaveLength(0);
  });

  it("falls back to the app's package name (the working directory's package.json under a test runner)", async () => {
    const expected = (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { name: string }).name;
    const mem = memory();
    start({ spanProcessors: [mem.processor] });
    endOneSpan();
    expect((await mem.finished())[0]?.resource.attributes["service.name"]).toBe(expected);
  });

  it("does nothing with OTEL_SDK_DISABLED=true", async () => {
    vi.stubEnv("OTEL_SDK_DISABLED", "true");
    const mem = memory();
    start({ spanProcessors: [mem.processor] });
    const span = trace.getTracer("test").startSpan("ignored");
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(await mem.finished()).toHaveLength(0);
  });

  it("registers once when called twice, or from a second copy of the module", async () => {
    const first = memory();
    const second = memory();
    const third = memory();
    start({ spanProcessors: [first.processor] });
    start({ spanProcessors: [second.processor] });
    vi.resetModules();
    // A query string makes the module loader evaluate a second, independent copy of the module.
    // @ts-expect-error -- TypeScript does not resolve specifiers with a query string
    const copy = (await import("../../src/wiring/start.js?copy")) as typeof import("../../src/wiring/start.js");
    copy.start({ spanProcessors: [third.processor] });
    endOneSpan();
    expect(await first.finished()).toHaveLength(1);
    expect(await second.finished()).toHaveLength(0);
    expect(await third.finished()).toHaveLength(0);
  });

  it("feeds processors attached at run time until they detach", async () => {
    start();
    const mem = memory();
    endOneSpan("before");
    const detach = addSpanProcessor(mem.processor);
    endOneSpan("attached");
    detach();
    endOneSpan("after");
    expect((await mem.finished()).map((s) => s.name)).toEqual(["attached"]);
  });

  it("can start again after shutdown()", async () => {
    const first = memory();
    start({ spanProcessors: [first.processor] });
    await shutdown();
    const second = memory();
    start({ spanProcessors: [second.processor] });
    endOneSpan();
    expect(await second.finished()).toHaveLength(1);
  });

  it("starts the CPU profiler with JOTTY_CPU_PROFILE=1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-"));
    vi.stubEnv("JOTTY_CPU_PROFILE", "1");
    vi.stubEnv("JOTTY_CPU_PROFILE_DIR", dir);
    try {
      start();
      expect(getCpuProfiler()?.running).toBe(true);
      const file = stopCpuProfiler();
      expect(file && existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("installs the fetch capture unless JOTTY_CAPTURE_FETCH=false or captureFetch: false, and removes it on shutdown", async () => {
    const original = globalThis.fetch;
    start();
    expect(isFetchCaptureInstalled()).toBe(true);
    expect(globalThis.fetch).not.toBe(original);
    await shutdown();
    expect(isFetchCaptureInstalled()).toBe(false);
    expect(globalThis.fetch).toBe(original);

    vi.stubEnv("JOTTY_CAPTURE_FETCH", "false");
    start();
    expect(isFetchCaptureInstalled()).toBe(false);
    await shutdown();

    vi.stubEnv("JOTTY_CAPTURE_FETCH", "");
    start({ captureFetch: false });
    expect(isFetchCaptureInstalled()).toBe(false);
  });

  it("traces outgoing fetch requests with the undici instrumentation", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const mem = memory();
    try {
      start({ spanProcessors: [mem.processor], captureFetch: false });
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`);
      expect(await res.text()).toBe("ok");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const spans = await mem.finished();
    const http = spans.find((s) => s.attributes["http.request.method"] === "GET");
    expect(http?.attributes["url.full"]).toMatch(/\/hello$/);
  });

  describe("the undici HTTP span of an LLM request is the child of its llm_call", () => {
    let server: Server;
    let url: string;
    beforeEach(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(CHAT_COMPLETION)));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const httpSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.attributes["http.request.method"] !== undefined);

    it("inside llmCall()", async () => {
      const mem = memory();
      start({ spanProcessors: [mem.processor], captureFetch: false });
      await llmCall({ provider: "openai", model: "gpt-4o-mini" }, async () =>
        (await fetch(`${url}/v1/chat/completions`, { method: "POST", body: "{}" })).text(),
      );
      await (await fetch(`${url}/other`)).text();
      const spans = await mem.finished();
      const llm = spans.filter((s) => s.name === "llm_call");
      expect(llm).toHaveLength(1);
      const http = httpSpans(spans);
      expect(http.map((s) => s.attributes["url.full"]).sort()).toEqual([`${url}/other`, `${url}/v1/chat/completions`]);
      const inner = http.find((s) => s.attributes["url.full"] === `${url}/v1/chat/completions`)!;
      expect(inner.parentSpanContext?.spanId).toBe(llm[0]!.spanContext().spanId);
      expect(inner.spanContext().traceId).toBe(llm[0]!.spanContext().traceId);
    });

    it("from the fetch capture, with the real openai client", async () => {
      const mem = memory();
      start({ spanProcessors: [mem.processor] });
      const client = new OpenAI({ apiKey: "sk-test", baseURL: `${url}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
      expect(completion.id).toBe(CHAT_COMPLETION.id);
      const spans = await mem.finished();
      const llm = spans.filter((s) => s.name === "llm_call");
      expect(llm).toHaveLength(1);
      expect(llm[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(5);
      const http = httpSpans(spans);
      expect(http).toHaveLength(1);
      expect(http[0]!.attributes["url.full"]).toBe(`${url}/v1/chat/completions`);
      expect(http[0]!.parentSpanContext?.spanId).toBe(llm[0]!.spanContext().spanId);
    });

    it("keeps credentials in the URL out of the HTTP span", async () => {
      const mem = memory();
      start({ spanProcessors: [mem.processor], captureFetch: false });
      await (await fetch(`${url}/v1beta/models/gemini-2.0-flash:generateContent?key=SECRET-KEY`, { method: "POST", body: "{}" })).text();
      const http = httpSpans(await mem.finished());
      expect(http).toHaveLength(1);
      expect(JSON.stringify(http[0]!.attributes)).not.toContain("SECRET-KEY");
      expect(http[0]!.attributes["url.full"]).toContain("key=REDACTED");
    });
  });
});
