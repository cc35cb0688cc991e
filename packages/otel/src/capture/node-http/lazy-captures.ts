// The node:http / node:http2 capture as installed at start-up: the taps are in place, and the
// capture behind them (adapters, observers, pricing) is imported by the first POST the app ends.
// Until then every POST is gathered (a path test needs the adapters), then handed over.
import type { Readable } from "node:stream";
import { context, diag } from "@opentelemetry/api";
import type { HeaderEntry } from "../../redaction/request-secrets.js";
import { isTracingSuppressed } from "../../sdk/suppressed-tracing.js";
import type { CaptureConfig } from "../config.js";
import type { RequestCaptures } from "./request-captures.js";

/** What the taps (http1.ts, http2.ts) ask of the capture. */
export interface Captures<R extends object> {
  wanted(): boolean;
  /** Could a request to this path be an LLM call? */
  wantsPath(path: string): boolean;
  /** True when `send` is called later (see RequestBodyHandlers.ended). */
  open(request: R, url: string, body: string, send: () => void, headers: () => Iterable<HeaderEntry>): boolean;
  respond(request: R, body: Readable, status: number, header: (name: string) => string | undefined): void;
  fail(request: R, error: unknown): void;
}

export class LazyCaptures<R extends object> implements Captures<R> {
  readonly #config: CaptureConfig;
  readonly #isActive: () => boolean;
  #real?: RequestCaptures<R>;
  #loading?: Promise<RequestCaptures<R>>;
  #looksLikeLlmPath: (path: string) => boolean = () => true;

  constructor(config: CaptureConfig, isActive: () => boolean) {
    this.#config = config;
    this.#isActive = isActive;
  }

  #load(): Promise<RequestCaptures<R>> {
    this.#loading ??= Promise.all([import("./request-captures.js"), import("../endpoints.js")]).then(([{ RequestCaptures }, { looksLikeLlmPath }]) => {
      this.#looksLikeLlmPath = looksLikeLlmPath;
      return (this.#real = new RequestCaptures<R>(this.#config, this.#isActive));
    });
    return this.#loading;
  }

  wanted(): boolean {
    return this.#real ? this.#real.wanted() : this.#isActive() && !isTracingSuppressed(context.active());
  }

  wantsPath(path: string): boolean {
    return this.#looksLikeLlmPath(path);
  }

  open(request: R, url: string, body: string, send: () => void, headers: () => Iterable<HeaderEntry>): boolean {
    if (this.#real) {
      this.#real.open(request, url, body, send, headers);
      return false;
    }
    // The request waits for the import (a few ms, once), so its llm_call still opens before it goes out.
    const caller = context.active();
    this.#load()
      .then(
        (real) => context.with(caller, () => real.open(request, url, body, send, headers)),
        (error: unknown) => diag.warn("@jotty/otel node:http capture: could not load", error),
      )
      .finally(send);
    return true;
  }

  respond(request: R, body: Readable, status: number, header: (name: string) => string | undefined): void {
    this.#real?.respond(request, body, status, header);
  }

  fail(request: R, error: unknown): void {
    this.#real?.fail(request, error);
  }
}
