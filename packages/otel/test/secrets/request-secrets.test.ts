// Which values of a request are its secrets, for fetch and for node:http-style header lists.
import { afterEach, expect, it, vi } from "vitest";
import { fetchRequestSecrets, requestSecrets } from "../../src/redaction/request-secrets.js";
import { CANARY } from "./canaries.js";

afterEach(() => vi.unstubAllEnvs());

it("fetch: secret headers of the Request and of init, the token after the scheme, secret query values", () => {
  const request = new Request(`https://api.example/v1/chat/completions?key=${CANARY.google}&page=2`, {
    headers: { "x-goog-api-key": CANARY.google, "user-agent": "app/1" },
  });
  const secrets = fetchRequestSecrets(request.url, request, {
    headers: [
      ["Authorization", `Bearer ${CANARY.bearer}`],
      ["Accept", "application/json"],
    ],
  });
  expect(new Set(secrets)).toEqual(new Set([CANARY.google, `Bearer ${CANARY.bearer}`, CANARY.bearer]));
});

it("node:http header lists: array values, numbers, Basic credentials, the user's JOTTY_REDACT_HEADERS, the URL's password", () => {
  vi.stubEnv("JOTTY_REDACT_HEADERS", "x-tenant-pass");
  const basic = Buffer.from(`agent:${CANARY.opaque}`).toString("base64");
  const secrets = requestSecrets(`http://proxy:${CANARY.anthropic}@127.0.0.1:8080/v1/messages`, [
    ["proxy-authorization", `Basic ${basic}`],
    ["x-tenant-pass", [CANARY.xai, CANARY.groq]],
    ["content-length", 42],
    ["anthropic-version", "2023-06-01"],
  ]);
  expect(new Set(secrets)).toEqual(
    new Set(["proxy", CANARY.anthropic, `Basic ${basic}`, basic, `agent:${CANARY.opaque}`, CANARY.opaque, CANARY.xai, CANARY.groq]),
  );
});

it("a URL or header it cannot read gives what it could, never an exception", () => {
  expect(requestSecrets("not a url", [["x-api-key", CANARY.opaque]])).toEqual([CANARY.opaque]);
  expect(fetchRequestSecrets("https://h.example/p", undefined, { headers: [["bad header name", "x"]] as unknown as RequestInit["headers"] })).toEqual([]);
});

it("fetch() headers given as a plain object, a Headers or a Map: every form is read, none is copied", () => {
  const forms: RequestInit["headers"][] = [
    { "X-Api-Key": CANARY.opaque, accept: "application/json" },
    new Headers({ "x-api-key": CANARY.opaque }),
    new Map([["x-api-key", CANARY.opaque]]) as unknown as RequestInit["headers"],
  ];
  for (const headers of forms) expect(fetchRequestSecrets("https://h.example/v1/chat/completions", undefined, { headers })).toEqual([CANARY.opaque]);
});

it("fetch() with a Headers object: every request's headers are walked, a new name is found on the request that first sends it", () => {
  const url = "https://api.example/v1/chat/completions";
  const read = (headers: Record<string, string>) => fetchRequestSecrets(url, undefined, { headers: new Headers(headers) });
  const usual = { authorization: `Bearer ${CANARY.bearer}`, accept: "application/json" };
  for (let i = 0; i < 5; i++) expect(read(usual)).toEqual([`Bearer ${CANARY.bearer}`, CANARY.bearer]);
  // A new name of the user's kind (x-…-token) next to unchanged credentials: found at once.
  expect(read({ ...usual, "x-gateway-token": CANARY.xai })).toContain(CANARY.xai);
});

it("a cookie header: the whole value and each pair's value (quoted or not)", () => {
  const secrets = requestSecrets("https://h.example/v1/messages", [["Cookie", `theme=dark; session="${CANARY.opaque}"; sid=${CANARY.xai}`]]);
  expect(secrets).toEqual(expect.arrayContaining([`theme=dark; session="${CANARY.opaque}"; sid=${CANARY.xai}`, CANARY.opaque, CANARY.xai]));
});
