// The fetch wrapper installed at start-up: the capture itself (the LLM APIs' adapters, body
// observers, pricing: about 60 modules) is imported by the first POST, the only kind of request
// that can be an LLM call, and every request after that goes through it.
import { context } from "@opentelemetry/api";
import { isTracingSuppressed } from "../sdk/suppressed-tracing.js";
import type { CaptureConfig } from "./config.js";
import { isPost } from "./fetch-request.js";

type Fetch = typeof globalThis.fetch;

export function createLazyCapturingFetch(original: Fetch, config: CaptureConfig, isActive: () => boolean): Fetch {
  let capturing: Fetch | undefined;
  let loading: Promise<Fetch> | undefined;
  const load = () =>
    (loading ??= import("./fetch-wrapper.js").then(
      ({ createCapturingFetch }) => (capturing = createCapturingFetch(original, config, isActive)),
      // Without the capture the app's requests still go out, uncaptured.
      () => (capturing = original),
    ));
  const fetch = function fetch(input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> {
    if (capturing) return capturing(input, init);
    if (!isActive() || !isPost(input, init) || isTracingSuppressed()) return original(input, init);
    // The llm_call opens in the caller's context, as it would without the wait for the import.
    const caller = context.active();
    return load().then((capture) => context.with(caller, () => capture(input, init)));
  };
  return fetch as Fetch;
}
