// Zero-code LLM capture: installFetchCapture() wraps globalThis.fetch and taps node:http, node:https
// and node:http2 clients (node-http/), so every request to an LLM API (OpenAI, Anthropic, Gemini,
// Bedrock, OpenAI-compatible servers) gets an llm_call span with tokens, cost, timing and errors.
import { resolveCaptureConfig, type FetchCaptureOptions } from "./config.js";
import { createLazyCapturingFetch } from "./lazy-fetch.js";
import { installNodeHttpCapture } from "./node-http/install.js";

export type { FetchCaptureOptions } from "./config.js";
export { redactUrl, redactUrlHook } from "./redact-url.js";

interface Installed {
  original: typeof globalThis.fetch;
  wrapper: typeof globalThis.fetch;
  active: boolean;
  uninstall: () => void;
}

let installed: Installed | undefined;

/**
 * Wraps globalThis.fetch (idempotent: a second call returns the first uninstall function).
 * SDK clients keep the fetch they saw when constructed, so install before creating them.
 */
export function installFetchCapture(options?: FetchCaptureOptions): () => void {
  if (installed !== undefined) return installed.uninstall;
  const original = globalThis.fetch;
  if (typeof original !== "function") return () => {};
  const config = resolveCaptureConfig(options);
  const state: Installed = {
    original,
    wrapper: original,
    active: true,
    uninstall: () => {
      if (installed !== state) return;
      installed = undefined;
      state.active = false;
      // Someone may have wrapped fetch after us; then our wrapper stays in their chain, as a pass-through.
      if (globalThis.fetch === state.wrapper) globalThis.fetch = state.original;
    },
  };
  state.wrapper = createLazyCapturingFetch(original, config, () => state.active);
  globalThis.fetch = state.wrapper;
  // LLM calls over node:http, node:https and node:http2 (axios, the AWS SDK) too.
  const uninstallNodeHttp = installNodeHttpCapture(config);
  const uninstallFetch = state.uninstall;
  state.uninstall = () => {
    if (installed === state) uninstallNodeHttp();
    uninstallFetch();
  };
  installed = state;
  return state.uninstall;
}

export function isFetchCaptureInstalled(): boolean {
  return installed !== undefined;
}
