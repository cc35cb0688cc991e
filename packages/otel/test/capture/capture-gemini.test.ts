// Gemini generateContent / streamGenerateContent with plain fetch, the key in the URL as the
// REST docs show it: recorded responses, exact usage, and the key nowhere in any span.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installFetchCapture } from "../../src/capture/index.js";
import { fixtureBytes, fixtureEvents, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { onlyLlmCall, setUpTracing, type Tracing } from "./helpers/tracing.js";

const CANARY = "AIzaCANARY-gemini-key-0123456789";
let tracing: Tracing;
let server: ReplayServer;
let uninstall: () => void;

beforeAll(async () => {
  tracing = setUpTracing();
  server = await startReplayServer();
  uninstall = installFetchCapture({ captureContent: false });
});
afterAll(async () => {
  uninstall();
  await server.close();
  await tracing.shutdown();
});
afterEach(() => tracing.reset());

const request = JSON.stringify({ contents: [{ role: "user", parts: [{ text: "How many r's in strawberry?" }] }] });

function expectNoCanary(): void {
  const exported = JSON.stringify(tracing.spans().map((s) => ({ attributes: s.attributes, events: s.events, name: s.name, status: s.status })));
  expect(exported).not.toContain(CANARY);
}

describe("Gemini through plain fetch", () => {
  it("generateContent JSON: model from the path, usage incl. thinking tokens", async () => {
    const body = fixtureBytes("google/google-text.json");
    server.handle(jsonHandler(body));
    const response = await fetch(`${server.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent?key=${CANARY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request,
    });
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    const { http, attributes } = await onlyLlmCall(tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.operation.name"]).toBe("generate_content");
    expect(attributes["gen_ai.provider.name"]).toBe("gcp.gemini");
    expect(attributes["gen_ai.request.model"]).toBe("gemini-3-pro-preview");
    expect(attributes["gen_ai.request.stream"]).toBe(false);
    expect(attributes["gen_ai.response.model"]).toBe("gemini-3-pro-preview");
    expect(attributes["gen_ai.response.id"]).toBe("Un6LacrVMcjUxs0PmJfWoQc");
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["STOP"]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(9);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(28 + 244);
    expect(attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(244);
    expect(http!.attributes["url.full"]).toContain("key=REDACTED");
    expectNoCanary();
  });

  it("streamGenerateContent?alt=sse: CRLF frames, usage from the last usageMetadata, bytes unchanged", async () => {
    const frames = sseFrames("google/google-text.chunks.txt", "gemini");
    server.handle(sseHandler(frames));
    const response = await fetch(`${server.baseUrl}/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse&key=${CANARY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request,
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body!) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(Buffer.concat(frames))).toBe(true);
    const { http, attributes } = await onlyLlmCall(tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.response.id"]).toBe("bH6LaZW8Fp_3nsEPqtaSwQ4");
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["STOP"]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(9);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(23 + 185);
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expectNoCanary();
  });

  it("streamGenerateContent without alt=sse: a JSON array, usage from its last element", async () => {
    const array = "[" + fixtureEvents("google/google-text.chunks.txt").join(",\r\n") + "]";
    server.handle(jsonHandler(array));
    const response = await fetch(`${server.baseUrl}/v1beta/models/gemini-3-pro-preview:streamGenerateContent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": CANARY },
      body: request,
    });
    expect(await response.text()).toBe(array);
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(23 + 185);
    expectNoCanary();
  });
});
