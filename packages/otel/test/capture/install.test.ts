import { afterEach, describe, expect, it } from "vitest";
import { installFetchCapture, isFetchCaptureInstalled, redactUrl, redactUrlHook } from "../../src/capture/index.js";

const original = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = original;
});

describe("installFetchCapture", () => {
  it("wraps fetch once, however often it is called; uninstall restores the original", () => {
    const uninstall = installFetchCapture();
    const wrapped = globalThis.fetch;
    expect(wrapped).not.toBe(original);
    expect(installFetchCapture()).toBe(uninstall);
    expect(globalThis.fetch).toBe(wrapped);
    expect(isFetchCaptureInstalled()).toBe(true);
    uninstall();
    expect(globalThis.fetch).toBe(original);
    expect(isFetchCaptureInstalled()).toBe(false);
    uninstall();
    expect(globalThis.fetch).toBe(original);
  });

  it("uninstalled under someone else's wrapper: theirs stays, ours passes through", async () => {
    const uninstall = installFetchCapture();
    const ours = globalThis.fetch;
    const calls: string[] = [];
    const theirs = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      calls.push("theirs");
      return ours(input, init);
    }) as typeof fetch;
    globalThis.fetch = theirs;
    uninstall();
    expect(globalThis.fetch).toBe(theirs);
  });
});

describe("URL redaction", () => {
  it("replaces credential values and userinfo, keeps the rest", () => {
    expect(redactUrl("https://u:p@generativelanguage.googleapis.com/v1beta/models/m:generateContent?alt=sse&key=AIza123")).toBe(
      "https://REDACTED:REDACTED@generativelanguage.googleapis.com/v1beta/models/m:generateContent?alt=sse&key=REDACTED",
    );
    expect(redactUrl("https://x.blob.core.windows.net/c?sig=abc&se=1")).toBe("https://x.blob.core.windows.net/c?sig=REDACTED&se=1");
    expect(redactUrlHook({ origin: "https://api.openai.com", path: "/v1/chat/completions" })).toEqual({});
    expect(redactUrlHook({ origin: "https://h", path: "/p?a=1" })).toEqual({});
    expect(redactUrlHook({ origin: "https://h", path: "/p?api_key=s3cret&a=1" })).toEqual({
      "url.full": "https://h/p?api_key=REDACTED&a=1",
      "url.path": "/p",
      "url.query": "?api_key=REDACTED&a=1",
    });
  });
});
