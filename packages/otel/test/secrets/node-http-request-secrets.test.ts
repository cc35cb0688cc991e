// A request over node:http carries its key in a header; the provider's 401 quotes it back. The
// llm_call must not record it, on the capture alone (no redacting processor of start()).
import http from "node:http";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "../capture/helpers/tracing.js";

// Not in a well-known key shape: only "the request carried it" can find it.
const KEY = "opaque-gateway-key-5f1e9c";

function post(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Hello" }] });
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", "api-key": KEY } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("node:http capture: the request's own secrets", () => {
  const env = useCaptureEnv();

  it("a 401 quoting the request's api-key header records the message without the key", async () => {
    env.server.handle(
      jsonHandler(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid_request_error", code: "invalid_api_key" } }), 401),
    );
    expect(await post(`${env.server.baseUrl}/v1/chat/completions`)).toBe(401);
    expect(env.server.requests.at(-1)?.headers["api-key"]).toBe(KEY);
    const { llm } = await onlyLlmCall(env.tracing);
    const recorded = JSON.stringify({ status: llm.status, attributes: llm.attributes, events: llm.events });
    // Content capture is off: the error's type and code only.
    expect(recorded).toContain("invalid_request_error (invalid_api_key)");
    expect(recorded).not.toContain(KEY);
  });
});
