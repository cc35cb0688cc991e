import { context, createContextKey, diag, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_JOTTY_LLM_UNFINISHED,
  LLM_SPAN_NAME,
} from "@jotty/engine/semconv";
import { redactAttributes, redactSpan } from "../redaction/redact-span.js";
import { redactText } from "../redaction/redact-text.js";
import { rememberSecrets, withKnownSecrets } from "../redaction/known-secrets.js";
import { markRedacted } from "../redaction/span-secrets.js";
import { isPromiseLike, recordError } from "../segments/record-error.js";
import { getTracer } from "../segments/tracer.js";
import { llmMetricsRecorded, recordLlmCallMetrics } from "./metrics.js";
import { setOwnAttributes, type OwnAttributes } from "./own-attributes.js";
import { priceUsage } from "./pricing.js";
import type { LlmCallHandle, LlmCallOptions, LlmResponseInfo, LlmUsage } from "./types.js";
import { onEndOpenLlmCalls } from "./open-calls.js";

/** Reads a request's credentials (every header, every time: see fetchRequestSecrets). */
export type SecretReader = () => Iterable<string>;

/** An llm_call span in flight: what startLlmCall returns and getActiveLlmCall finds. */
export interface ActiveLlmCall {
  readonly handle: LlmCallHandle;
  /** The parent context with the llm_call span active (run the request inside it). */
  readonly context: Context;
  readonly span: Span;
  /** Ends the span (usage, cost, metrics); with an error, records it and marks the call failed. Idempotent. */
  end(error?: unknown): void;
}

const ACTIVE_LLM_CALL = createContextKey("jotty.llm_call");

/** Calls not ended yet, so a process that exits can end them with what they have. */
const open = new Set<LlmCall>();

/** Ends every llm_call still open, marked jotty.llm.unfinished (the process is exiting). */
export function endOpenLlmCalls(): void {
  for (const call of [...open]) {
    call.setAttributes({ [ATTR_JOTTY_LLM_UNFINISHED]: true });
    call.end();
  }
}
onEndOpenLlmCalls(endOpenLlmCalls);

function requestAttributes(options: LlmCallOptions): Attributes {
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: options.operation ?? "chat",
    [ATTR_GEN_AI_PROVIDER_NAME]: options.provider,
    [ATTR_GEN_AI_REQUEST_MODEL]: options.model,
  };
  if (options.stream !== undefined) attributes[ATTR_GEN_AI_REQUEST_STREAM] = options.stream;
  if (options.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = options.serverAddress;
  if (options.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = options.serverPort;
  return attributes;
}

function errorTypeOf(error: unknown): string {
  if (error instanceof Error) {
    const name = error.constructor?.name;
    return name && name !== "Error" ? name : error.name || "Error";
  }
  return "_OTHER";
}

class LlmCall implements ActiveLlmCall, LlmCallHandle {
  readonly span: Span;
  readonly context: Context;
  private readonly startedAt = performance.now();
  private options: LlmCallOptions;
  private usage: LlmUsage | undefined;
  private response: LlmResponseInfo = {};
  private timeToFirstChunk: number | undefined;
  private errorType: string | undefined;
  private ended = false;
  /** Credentials the request carried (see addRequestSecrets), read when first needed. */
  private secretReaders: SecretReader[] = [];
  private secretsRead = false;
  private ownSecrets: readonly string[] = [];

  constructor(options: LlmCallOptions, parent: Context, claimable: boolean) {
    this.options = { ...options };
    this.span = getTracer().startSpan(LLM_SPAN_NAME, { kind: SpanKind.CLIENT, attributes: requestAttributes(options) }, parent);
    const withSpan = trace.setSpan(parent, this.span);
    this.context = claimable ? withSpan.setValue(ACTIVE_LLM_CALL, this) : withSpan;
    open.add(this);
  }

  get handle(): LlmCallHandle {
    return this;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  setUsage(usage: LlmUsage): void {
    this.usage = { ...usage };
  }

  setResponse(response: LlmResponseInfo): void {
    this.response = { ...this.response, ...response };
  }

  setRequest(request: Partial<LlmCallOptions>): void {
    this.options = { ...this.options, ...request };
    const attributes = requestAttributes(this.options);
    this.span.setAttributes(attributes);
  }

  setTimeToFirstChunk(seconds: number): void {
    this.timeToFirstChunk = seconds;
  }

  setError(errorType: string, message?: string): void {
    const secrets = this.secrets();
    this.errorType = redactText(errorType, secrets);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: message === undefined ? this.errorType : redactText(message, secrets) });
  }

  /** `read` runs when the call first records text (after the request has left). */
  addSecrets(read: SecretReader): void {
    this.secretReaders.push(read);
    this.secretsRead = false;
  }

  /** This call's request secrets and those the process has sent before, for redactText. */
  private secrets(): readonly string[] {
    if (!this.secretsRead && this.secretReaders.length > 0) {
      const values: string[] = [];
      for (const read of this.secretReaders) for (const value of read()) values.push(value);
      this.secretsRead = true;
      this.ownSecrets = values;
      rememberSecrets(values);
    }
    return withKnownSecrets(this.ownSecrets);
  }

  setAttributes(attributes: Record<string, string | number | boolean | string[] | number[]>): void {
    this.span.setAttributes(attributes);
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    open.delete(this);
    try {
      this.finish(error);
    } catch (failure) {
      // Instrumentation must never break the app: report and carry on.
      diag.error("@jotty/otel: could not complete the llm_call span", failure);
    } finally {
      this.redact();
      this.span.end();
    }
  }

  /** Whatever the app or the capture set on this span, redacted before any processor sees it. */
  private redact(): void {
    try {
      redactSpan(this.span, this.secrets());
      markRedacted(this.span);
    } catch (failure) {
      diag.error("@jotty/otel: could not redact the llm_call span", failure);
    }
  }

  private finish(error: unknown): void {
    const span = this.span;
    if (error !== undefined) {
      recordError(span, error, this.secrets());
      this.errorType ??= errorTypeOf(error);
    }
    // Everything the call learnt, set at once (see own-attributes.ts).
    const attributes: OwnAttributes = {};
    if (this.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = this.errorType;

    const { model: responseModel, id, finishReasons } = this.response;
    attributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
    attributes[ATTR_GEN_AI_RESPONSE_ID] = id;
    attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = finishReasons;
    attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = this.timeToFirstChunk;

    const usage = this.usage;
    let cost: number | undefined;
    if (usage !== undefined) {
      attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
      attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
      attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cacheReadTokens;
      attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = usage.cacheWriteTokens;
      attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = usage.cacheWriteTokens;
      attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningTokens;
      cost = priceUsage(this.options.provider, [responseModel, this.options.model], usage);
      if (cost !== undefined && !Number.isFinite(cost)) cost = undefined;
      attributes[ATTR_GEN_AI_USAGE_COST] = cost;
    }
    setOwnAttributes(span, attributes);

    if (!llmMetricsRecorded()) return;
    const metricAttributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: this.options.operation ?? "chat",
      [ATTR_GEN_AI_PROVIDER_NAME]: this.options.provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: this.options.model,
    };
    if (responseModel !== undefined) metricAttributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
    if (this.options.serverAddress !== undefined) metricAttributes[ATTR_SERVER_ADDRESS] = this.options.serverAddress;
    if (this.options.serverPort !== undefined) metricAttributes[ATTR_SERVER_PORT] = this.options.serverPort;
    redactAttributes(metricAttributes, this.secrets());
    recordLlmCallMetrics({
      attributes: metricAttributes,
      errorType: this.errorType,
      durationSeconds: (performance.now() - this.startedAt) / 1000,
      inputTokens: usage?.inputTokens,
      outputTokens: usage?.outputTokens,
      timeToFirstChunkSeconds: this.timeToFirstChunk,
      costUsd: cost,
    });
  }
}

/**
 * Starts an `llm_call` CLIENT span, a child of `parent` (default: the active context), without a
 * callback: run the request inside `call.context`, fill `call.handle`, then `call.end(error?)`.
 */
export function startLlmCall(options: LlmCallOptions, parent: Context = context.active()): ActiveLlmCall {
  return new LlmCall(options, parent, false);
}

/**
 * Runs `fn` inside an `llm_call` CLIENT span. Fill in usage and response through the handle
 * (or let the fetch capture fill it); the span ends when `fn`'s result settles. Errors are
 * recorded (error.type, status ERROR) and re-thrown unchanged.
 */
export function llmCall<T>(options: LlmCallOptions, fn: (call: LlmCallHandle) => Promise<T> | T): Promise<T> {
  const call = new LlmCall(options, context.active(), true);
  let result: Promise<T> | T;
  try {
    result = context.with(call.context, fn, undefined, call);
  } catch (error) {
    call.end(error);
    return Promise.reject(error);
  }
  if (!isPromiseLike(result)) {
    call.end();
    return Promise.resolve(result);
  }
  return Promise.resolve(result).then(
    (value) => {
      call.end();
      return value;
    },
    (error: unknown) => {
      call.end(error);
      throw error;
    },
  );
}

/**
 * Hands the credentials a request carried (header and query values, read by `read` only when
 * the call first needs them, off the request's way out) to its llm_call, which then redacts them
 * from its status, exception, attributes, events and metrics, and from every later span.
 */
export function addRequestSecrets(handle: LlmCallHandle, read: SecretReader): void {
  if (handle instanceof LlmCall) handle.addSecrets(read);
}

/** The llm_call opened by llmCall() in the active context, if it is still running. */
export function getActiveLlmCall(ctx: Context = context.active()): ActiveLlmCall | undefined {
  const call = ctx.getValue(ACTIVE_LLM_CALL) as LlmCall | undefined;
  return call !== undefined && !call.isEnded ? call : undefined;
}
