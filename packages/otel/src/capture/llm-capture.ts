// One captured LLM request, whatever the transport: owns (or fills) the llm_call, and tells the
// transport which observer follows the response body; the observer reports back here.
import { context, diag } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_JOTTY_LLM_CONTENT_TRUNCATED,
  ATTR_JOTTY_LLM_PROMPT_HASH,
  ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_HASHES,
  ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_NAMES,
  ATTR_JOTTY_LLM_UNFINISHED,
  ATTR_JOTTY_LLM_USAGE_MISSING,
} from "@jotty/engine/semconv";
import type { ActiveLlmCall } from "../llm/llm-call.js";
import { setOwnAttributes, type OwnAttributes } from "../llm/own-attributes.js";
import type { LlmCallHandle } from "../llm/types.js";
import type { LlmApiAdapter } from "./wire/api-adapter.js";
import { framingOf, type BodyObserver } from "./body-observer.js";
import { boundedJson } from "./bounded-json.js";
import type { CaptureConfig } from "./config.js";
import { errorFromBody, errorType, providerErrorStatus } from "./error-body.js";
import { EventStreamBodyObserver } from "./eventstream-observer.js";
import { JsonBodyObserver, type JsonSink } from "./json-observer.js";
import { NdjsonBodyObserver } from "./ndjson-observer.js";
import { promptHash } from "./prompt-hash.js";
import { requestShape } from "./request-shape.js";
import { statusAttributes } from "./response-status.js";
import type { JsonObject } from "./wire/json.js";
import { SseBodyObserver } from "./sse-observer.js";
import type { StreamSink } from "./stream-sink.js";
import type { ResponseSummary } from "./wire/summary.js";
import { onEndOpenCaptures } from "../llm/open-calls.js";

interface FinishOptions {
  /** An HTTP error status: its body explains it, no usage expected. */
  httpError?: boolean;
  /** The response was not read to its end. */
  unfinished?: boolean;
  /** The error message is the thrown error's (an abort, a network failure), not the provider's words. */
  ownErrorMessage?: boolean;
}

/** Captures still waiting for their response, so the exit path can end them with what they have. */
const open = new Set<LlmCapture>();

/** Ends every capture still open with what it has, marked unfinished (the process is exiting). */
export function abandonOpenCaptures(): void {
  for (const capture of [...open]) capture.abandon();
}
onEndOpenCaptures(abandonOpenCaptures);

export class LlmCapture implements StreamSink, JsonSink {
  readonly handle: LlmCallHandle;
  readonly #adapter: LlmApiAdapter;
  readonly #call: ActiveLlmCall;
  /** False when the app's own llmCall() span is being filled: the app ends that one. */
  readonly owned: boolean;
  readonly #config: CaptureConfig;
  readonly #startedAt = performance.now();
  #done = false;
  #recording = true;
  /** Follows the body once the response head is in; kept for abandon(). */
  #observer: BodyObserver | undefined;
  /** Usage the response headers tell (Bedrock InvokeModel), for a JSON body without any. */
  #headerUsage: unknown;
  /** The request body and model to hash (unset once hashed). */
  #hashBody: JsonObject | undefined;
  #hashModel = "";
  #hashText = "";

  constructor(adapter: LlmApiAdapter, call: ActiveLlmCall, owned: boolean, config: CaptureConfig) {
    this.#adapter = adapter;
    this.#call = call;
    this.handle = call.handle;
    this.owned = owned;
    this.#config = config;
    open.add(this);
  }

  /** Whether the response is worth following (false when sampled out). */
  get recording(): boolean {
    return this.#recording;
  }

  /** Follow nothing: the span ends as soon as the response (or error) arrives. */
  passThrough(): this {
    this.#recording = false;
    return this;
  }

  /** Runs the request (`send(input, init)`) so that the transport's HTTP span becomes a child of the llm_call. */
  run<A, B, T>(send: (input: A, init: B) => T, input: A, init: B): T {
    return this.owned ? context.with(this.#call.context, send, undefined, input, init) : send(input, init);
  }

  hashLater(body: JsonObject, model: string, text = ""): void {
    this.#hashBody = body;
    this.#hashModel = model;
    this.#hashText = text;
  }

  /**
   * Sets jotty.llm.prompt_hash once, when the call ends: never on the request's way out (agent
   * prompts can be large).
   */
  #hash(): void {
    const body = this.#hashBody;
    if (body === undefined || this.#done) return;
    this.#hashBody = undefined;
    const text = this.#hashText;
    this.#hashText = "";
    try {
      const attributes: OwnAttributes = requestShape(text, body);
      attributes[ATTR_JOTTY_LLM_PROMPT_HASH] = promptHash(body, this.#hashModel);
      setOwnAttributes(this.#call.span, attributes);
    } catch (error) {
      diag.warn("@jotty/otel capture: could not hash the prompt", error);
    }
  }

  setContent(attribute: string, value: unknown): void {
    const { json, truncated } = boundedJson(value, this.#config.maxContentChars);
    this.handle.setAttributes({ [attribute]: json });
    if (truncated) this.handle.setAttributes({ [ATTR_JOTTY_LLM_CONTENT_TRUNCATED]: true });
  }

  /** The request failed before a response: the same error goes back to the app. */
  fail(error: unknown): void {
    if (this.#done) return;
    this.#hash();
    this.#done = true;
    open.delete(this);
    this.handle.setError(errorType(error), error instanceof Error ? error.message : String(error));
    if (this.owned) this.#call.end(error);
  }

  /**
   * The response head arrived. Returns the observer the transport feeds the body to, or undefined
   * when there is nothing to follow (the span has ended). `header` reads a response header.
   */
  onResponseHead(status: number, contentType: string, hasBody: boolean, header?: (name: string) => string | undefined): BodyObserver | undefined {
    if (!this.#recording) {
      this.#done = true;
      open.delete(this);
      if (this.owned) this.#call.end();
      return undefined;
    }
    const ok = status >= 200 && status < 300;
    if (ok && header !== undefined) this.#headerUsage = this.#adapter.usageFromHeaders?.(header);
    setOwnAttributes(this.#call.span, statusAttributes(status, ok ? undefined : header));
    if (!hasBody) {
      if (ok) this.finish({});
      else this.#finishError(undefined, status);
      return undefined;
    }
    this.#observer = ok ? this.#bodyObserver(contentType) : this.#errorObserver(status);
    return this.#observer;
  }

  #bodyObserver(contentType: string): BodyObserver {
    switch (framingOf(contentType)) {
      case "sse":
        return new SseBodyObserver(this, this.#adapter.streamAccumulator(this.#config.captureContent));
      case "ndjson":
        return new NdjsonBodyObserver(this, this.#adapter.streamAccumulator(this.#config.captureContent));
      case "aws-eventstream":
        return new EventStreamBodyObserver(this, this.#adapter.streamAccumulator(this.#config.captureContent));
      case "json":
        return new JsonBodyObserver(this);
    }
  }

  #errorObserver(status: number): BodyObserver {
    return new JsonBodyObserver({
      onJson: (text, parsed) => this.#finishError(text ?? (parsed !== undefined ? JSON.stringify(parsed) : undefined), status),
      onInterrupted: () => this.#finishError(undefined, status),
      onAbandoned: () => this.#finishError(undefined, status),
    });
  }

  #finishError(text: string | undefined, status: number): void {
    this.finish(text === undefined ? { errorType: String(status) } : errorFromBody(text, status), { httpError: true });
  }

  /** Ends with what was read so far, marked unfinished (body unreachable, or the process exits). */
  abandon(): void {
    if (this.#done) return;
    if (this.#observer !== undefined) this.#observer.abandoned();
    else this.abandoned({});
  }

  // JsonSink: a whole JSON body, as the app got it (`parsed` when it came from json()).
  onJson(text: string | undefined, parsed?: unknown): void {
    if (parsed === undefined) {
      if (text === undefined) {
        this.finish({});
        return;
      }
      try {
        parsed = JSON.parse(text);
      } catch {
        this.finish({});
        return;
      }
    }
    const summary = this.#adapter.summarizeJson(parsed, this.#config.captureContent);
    if (summary.rawUsage === undefined && this.#headerUsage !== undefined) summary.rawUsage = this.#headerUsage;
    this.finish(summary);
  }

  onInterrupted(reason: unknown): void {
    this.interrupted(reason, {});
  }

  onAbandoned(): void {
    this.abandoned({});
  }

  // StreamSink
  firstChunk(): void {
    this.handle.setTimeToFirstChunk((performance.now() - this.#startedAt) / 1000);
  }

  stopped(error: unknown): void {
    diag.warn("@jotty/otel capture: stopped observing a stream", error);
  }

  /** The body stopped early: cancelled by the app, aborted, or the connection failed. */
  interrupted(reason: unknown, partial: ResponseSummary): void {
    // An error event from the provider explains the stop better than the abort that followed it.
    if (partial.errorType !== undefined) {
      this.finish(partial);
      return;
    }
    const cancelled = reason === undefined || !(reason instanceof Error) || reason.name === "AbortError";
    const summary: ResponseSummary = { ...partial, errorType: cancelled ? "cancelled" : errorType(reason) };
    summary.errorMessage = reason instanceof Error ? reason.message : reason === undefined ? "cancelled" : String(reason);
    this.finish(summary, { ownErrorMessage: true });
  }

  abandoned(partial: ResponseSummary): void {
    this.finish(partial, { unfinished: true });
  }

  finish(summary: ResponseSummary, options: FinishOptions = {}): void {
    if (this.#done) return;
    this.#hash();
    this.#done = true;
    open.delete(this);
    try {
      const handle = this.handle;
      const response: { model?: string; id?: string; finishReasons?: string[] } = {};
      if (summary.model !== undefined) response.model = summary.model;
      if (summary.id !== undefined) response.id = summary.id;
      if (summary.finishReasons !== undefined) response.finishReasons = summary.finishReasons;
      handle.setResponse(response);
      // What the response told, set at once (see own-attributes.ts).
      const attributes: OwnAttributes = { ...summary.attributes };
      const usage = this.#adapter.usage(summary.rawUsage);
      if (usage !== undefined) handle.setUsage(usage);
      else if (options.httpError !== true) attributes[ATTR_JOTTY_LLM_USAGE_MISSING] = true;
      if (summary.toolCalls !== undefined) {
        attributes[ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_NAMES] = summary.toolCalls.map((c) => c.name);
        attributes[ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_HASHES] = summary.toolCalls.map((c) => c.hash);
      }
      if (options.unfinished === true) attributes[ATTR_JOTTY_LLM_UNFINISHED] = true;
      setOwnAttributes(this.#call.span, attributes);
      if (this.#config.captureContent && summary.outputMessages !== undefined) {
        this.setContent(ATTR_GEN_AI_OUTPUT_MESSAGES, summary.outputMessages);
      }
      if (summary.errorType !== undefined) {
        const { errorType, errorCode, errorKind, errorMessage } = summary;
        const message =
          options.ownErrorMessage === true ? errorMessage : providerErrorStatus({ errorType, errorCode, errorKind, errorMessage }, this.#config.captureContent);
        handle.setError(errorType, message);
      }
    } catch (error) {
      diag.warn("@jotty/otel capture: could not record the response", error);
    } finally {
      if (this.owned) this.#call.end();
    }
  }
}
