// The node:http / node:http2 capture as installed at start-up: the taps are in place, and the
// capture behind them (adapters, observers, pricing) is imported by the first POST the app
// writes. That request is held by the tap until the import is done (see RequestBodyTap's ready),
// and a path test is only possible from then on (it needs the adapters).
import type { Readable } from "node:stream";
import { context } from "@opentelemetry/api";
import type { HeaderEntry } from "../../redaction/request-secrets.js";
import { isTracingSuppressed } from "../../sdk/suppressed-tracing.js";
import type { CaptureConfig } from "../config.js";
import type { RequestCaptures } from "./request-captures.js";

/** What the taps (http1.ts, http2.ts) ask of the capture. */
export interface Captures<R extends object> {
  wanted(): boolean;
  /** Could a request to this path be an LLM call? */
  wantsPath(path: string): boolean;
  /** Undefined when ready; otherwise settles when the capture is (see RequestBodyHandlers.ready). */
  ready(): Promise<unknown> | undefined;
  open(request: R, url: string, body: string, send: () => void, headers: () => Iterable<HeaderEntry>): void;
  respond(request: R, body: Readable, status: number, header: (name: string) => string | undefined): void;
  fail(request: R, error: unknown): void;
}

export class LazyCaptures<R extends object> implements Captures<R> {
  readonly #config: CaptureConfig;
  readonly #isActive: () => boolean;
  #real?: RequestCaptures<R>;
  #loading?: Promise<unknown>;
  #looksLikeLlmPath: (path: string) => boolean = () => true;

  constructor(config: CaptureConfig, isActive: () => boolean) {
    this.#config = config;
    this.#isActive = isActive;
  }

  ready(): Promise<unknown> | undefined {
    if (this.#real) return undefined;
    // A failed import leaves the capture off: the held requests go out uncaptured.
    this.#loading ??= Promise.all([import("./request-captures.js"), import("../endpoints.js")]).then(
      ([{ RequestCaptures }, { looksLikeLlmPath }]) => {
        this.#looksLikeLlmPath = looksLikeLlmPath;
        this.#real = new RequestCaptures<R>(this.#config, this.#isActive);
      },
      () => {},
    );
    return this.#loading;
  }

  wanted(): boolean {
    return this.#real ? this.#real.wanted() : this.#isActive() && !isTracingSuppressed(context.active());
  }

  wantsPath(path: string): boolean {
    return this.#looksLikeLlmPath(path);
  }

  open(request: R, url: string, body: string, send: () => void, headers: () => Iterable<HeaderEntry>): void {
    this.#real?.open(request, url, body, send, headers);
  }

  respond(request: R, body: Readable, status: number, header: (name: string) => string | undefined): void {
    this.#real?.respond(request, body, status, header);
  }

  fail(request: R, error: unknown): void {
    this.#real?.fail(request, error);
  }
}
