// URL redaction: a deny-list broad enough for OAuth and cloud APIs, case-insensitive, on the
// undici HTTP span (url.full / url.query) and, as a last line of defence, on any span's URL
// attributes; users add names with JOTTY_REDACT_QUERY_PARAMS or start({ redact: { queryParams } }).
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redactUrl } from "../../src/capture/index.js";
import { start } from "../../src/wiring/start.js";
import { startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { setUpTracing } from "../capture/helpers/tracing.js";
import { CANARY, MARKER } from "./canaries.js";
import { useQuietStart } from "../sdk/quiet-start.js";

const SECRET_PARAMS = [
  "client_secret",
  "password",
  "secret",
  "private_token",
  "x-api-key",
  "subscription-key",
  "code",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "sig",
  "signature",
  "X-Amz-Signature",
  "X-Amz-Credential",
  "X-Amz-Security-Token",
  "X-Goog-Signature",
  "key",
  "api_key",
  "apikey",
  "api-key",
  "auth",
  "client_assertion",
];

describe("redactUrl deny-list", () => {
  it.each(SECRET_PARAMS.flatMap((name) => [name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1)]))("%s", (name) => {
    const url = `https://login.example.com/oauth2/token?grant_type=authorization_code&${encodeURIComponent(name)}=${CANARY.opaque}&page=2`;
    expect(redactUrl(url)).toBe(`https://login.example.com/oauth2/token?grant_type=authorization_code&${encodeURIComponent(name)}=REDACTED&page=2`);
  });

  it("keeps ordinary parameters and userinfo-free URLs exactly as sent", () => {
    const url = "https://example.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21&alt=sse&state=xyz&model=a%20b";
    expect(redactUrl(url)).toBe(url);
  });

  it("userinfo, and a form-encoded name (client%5Fsecret)", () => {
    expect(redactUrl(`https://user:${CANARY.opaque}@h.example/p?client%5Fsecret=${CANARY.opaque}`)).toBe(
      "https://REDACTED:REDACTED@h.example/p?client%5Fsecret=REDACTED",
    );
  });
});

describe("on spans", () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer();
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  afterAll(() => server.close());

  it("the undici HTTP span of an OAuth token request", async () => {
    const tracing = setUpTracing();
    try {
      const url = `${server.baseUrl}/oauth2/token?client_id=app&Client_Secret=${CANARY.opaque}&code=${CANARY.opaque}&refresh_token=${CANARY.opaque}`;
      await (await fetch(url)).text();
      expect(server.requests.at(-1)!.url).toContain(CANARY.opaque);
      const [http] = tracing.spans().filter((s) => s.name === "GET");
      expect(http!.attributes["url.full"]).toBe(`${server.baseUrl}/oauth2/token?client_id=app&Client_Secret=REDACTED&code=REDACTED&refresh_token=REDACTED`);
      expect(http!.attributes["url.query"]).toBe("?client_id=app&Client_Secret=REDACTED&code=REDACTED&refresh_token=REDACTED");
    } finally {
      await tracing.shutdown();
    }
  });

  describe("names the user adds", () => {
    useQuietStart();

    it("JOTTY_REDACT_QUERY_PARAMS and start({ redact: { queryParams } }) on the HTTP span and on any span's url.full / url.query", async () => {
      vi.stubEnv("JOTTY_REDACT_QUERY_PARAMS", "tenant_pin, Shard-Pass");
      const exporter = new InMemorySpanExporter();
      const processor = new SimpleSpanProcessor({ exporter });
      start({ spanProcessors: [processor], redact: { queryParams: ["X-Vendor-Nonce"] } });
      const query = `tenant_pin=${CANARY.opaque}&shard_pass=${CANARY.opaque}&x_vendor_nonce=${CANARY.opaque}&page=1`;
      await (await fetch(`${server.baseUrl}/items?${query}`)).text();
      // Another instrumentation's span (no hook of ours there): the redacting processor's work.
      trace
        .getTracer("other")
        .startSpan("GET /items", { attributes: { "url.full": `https://api.example/items?${query}`, "url.query": query } })
        .end();
      await processor.forceFlush();
      const spans = exporter.getFinishedSpans();
      const http = spans.find((s) => s.name === "GET")!;
      expect(http.attributes["url.query"]).toBe("?tenant_pin=REDACTED&shard_pass=REDACTED&x_vendor_nonce=REDACTED&page=1");
      const other = spans.find((s) => s.name === "GET /items")!;
      expect(other.attributes["url.full"]).toBe("https://api.example/items?tenant_pin=REDACTED&shard_pass=REDACTED&x_vendor_nonce=REDACTED&page=1");
      expect(other.attributes["url.query"]).toBe("tenant_pin=REDACTED&shard_pass=REDACTED&x_vendor_nonce=REDACTED&page=1");
      expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(MARKER);
    });
  });
});
