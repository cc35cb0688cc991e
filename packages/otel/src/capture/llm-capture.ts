// One captured LLM request: opens (or adopts) the llm_call, then follows the response —
// a copy of a JSON body, or an observer on the SSE stream the app reads — and ends the span.
import { context, diag } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_JOTTY_LLM_PROMPT_HASH,
  ATTR_JOTTY_LLM_USAGE_MISSING,
} from "@jotty/analyzer/semconv";
import { getActiveLlmCall, startLlmCall, type ActiveLlmCall } from "../llm/llm-call.js";
import type { LlmCallHandle, LlmCallOptions } from "../llm/types.js";
import { boundedJson } from "./bounded-json.js";
import type { CaptureConfig } from "./config.js";
import { requestContent } from "./content.js";
import { classifyEndpoint, type LlmApi } from "./endpoints.js";
import { errorFromBody, summarizeJson } from "./json-summary.js";
import { promptHash } from "./prompt-hash.js";
import { bodyMatchesApi, parseJsonObject, type JsonObject } from "./request-body.js";
import { observeBody, type BodyObserver } from "./body-observer.js";
import { SseParser } from "./sse-parser.js";
import { streamAccumulator } from "./stream-accumulators.js";
import type { ResponseSummary } from "./summary.js";
import { usageFor } from "./usage.js";

const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
const ATTR_JOTTY_LLM_CONTENT_TRUNCATED = "jotty.llm.content_truncated";

/** Opens a capture when `url` + `bodyText` are a request to a known LLM API; else undefined. */
export function openCapture(url: string, bodyText: string | undefined, config: CaptureConfig): LlmCapture | undefined {
  if (bodyText === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const endpoint = classifyEndpoint(parsed);
  if (endpoint === undefined) return undefined;
  const body = parseJsonObject(bodyText);
  if (body === undefined || !bodyMatchesApi(endpoint.api, body, endpoint.pathModel)) return undefined;

  const model = typeof body.model === "string" ? body.model : (endpoint.pathModel ?? "unknown");
  const stream = endpoint.pathStream ?? body.stream === true;
  const outer = getActiveLlmCall();
  let call: ActiveLlmCall;
  if (outer !== undefined) {
    // The app's own llmCall() names provider and operation; the wire tells the rest.
    outer.handle.setRequest({ model, stream, serverAddress: endpoint.serverAddress, serverPort: endpoint.serverPort });
    call = outer;
  } else {
    const options: LlmCallOptions = {
      provider: endpoint.provider,
      model,
      operation: endpoint.operation,
      stream,
      serverAddress: endpoint.serverAddress,
      serverPort: endpoint.serverPort,
    };
    call = startLlmCall(options);
  }
  const capture = new LlmCapture(endpoint.api, call, outer === undefined, config);
  // Sampled out or no SDK: keep the trace context for the HTTP span, skip all the work.
  if (!call.span.isRecording()) return capture.passThrough();
  capture.hashLater(body, model);
  if (config.captureContent) {
    const content = requestContent(endpoint.api, body);
    if (content !== undefined) {
      capture.setContent(ATTR_GEN_AI_INPUT_MESSAGES, content.input);
      if (content.system !== undefined) capture.setContent(ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, content.system);
    }
  }
  return capture;
}

export class LlmCapture {
  readonly handle: LlmCallHandle;
  readonly #api: LlmApi;
  readonly #call: ActiveLlmCall;
  /** False when the app's own llmCall() span is being filled: the app ends that one. */
  readonly #owned: boolean;
  readonly #config: CaptureConfig;
  readonly #startedAt = performance.now();
  #done = false;
  #recording = true;

  constructor(api: LlmApi, call: ActiveLlmCall, owned: boolean, config: CaptureConfig) {
    this.#api = api;
    this.#call = call;
    this.handle = call.handle;
    this.#owned = owned;
    this.#config = config;
  }

  /** Follow nothing: the span ends as soon as the response (or error) arrives. */
  passThrough(): this {
    this.#recording = false;
    return this;
  }

  /** Runs the request (`send(input, init)`) so that the undici HTTP span becomes a child of the llm_call. */
  run<A, B, T>(send: (input: A, init: B) => T, input: A, init: B): T {
    const sent = this.#owned ? context.with(this.#call.context, send, undefined, input, init) : send(input, init);
    // Hash while the request is on its way, not before it leaves (agent prompts can be large).
    if (this.#hashInput !== undefined) setImmediate(this.#hash);
    return sent;
  }

  /** The response handlers of the request's promise (the same error goes back to the app). */
  readonly onFulfilled = (response: Response): Response => this.onResponse(response);
  readonly onRejected = (error: unknown): never => {
    this.fail(error);
    throw error;
  };

  #hashInput: { body: JsonObject; model: string } | undefined;

  hashLater(body: JsonObject, model: string): void {
    this.#hashInput = { body, model };
  }

  /** Sets jotty.llm.prompt_hash once (run from setImmediate, or at the end if the response came first). */
  readonly #hash = (): void => {
    const input = this.#hashInput;
    if (input === undefined || this.#done) return;
    this.#hashInput = undefined;
    try {
      this.handle.setAttributes({ [ATTR_JOTTY_LLM_PROMPT_HASH]: promptHash(input.body, input.model) });
    } catch (error) {
      diag.warn("@jotty/otel fetch capture: could not hash the prompt", error);
    }
  };

  setContent(attribute: string, value: unknown): void {
    const { json, truncated } = boundedJson(value, this.#config.maxContentChars);
    this.handle.setAttributes({ [attribute]: json });
    if (truncated) this.handle.setAttributes({ [ATTR_JOTTY_LLM_CONTENT_TRUNCATED]: true });
  }

  /** The request failed before a response: same error goes back to the app. */
  fail(error: unknown): void {
    if (this.#done) return;
    this.#hash();
    this.#done = true;
    this.handle.setError(errorType(error), error instanceof Error ? error.message : String(error));
    if (this.#owned) this.#call.end(error);
  }

  /** Follows the response as the app reads it; the app gets the very same Response object. */
  onResponse(response: Response): Response {
    if (!this.#recording) {
      if (this.#owned) this.#call.end();
      this.#done = true;
      return response;
    }
    try {
      if (!response.ok) {
        this.#followError(response);
        return response;
      }
      if (response.body === null) {
        this.#finish({});
        return response;
      }
      const contentType = response.headers.get("content-type") ?? "";
      observeBody(response, contentType.includes("text/event-stream") ? this.#sseObserver() : this.#jsonObserver());
      // A body the app never reads would leave the span open: end it when the Response is collected.
      unread.register(response, this.#whenUnread, this);
    } catch (error) {
      diag.warn("@jotty/otel fetch capture: could not follow the response", error);
      this.#finish({});
    }
    return response;
  }

  readonly #whenUnread = (): void => this.#finish({});

  #followError(response: Response): void {
    const status = response.status;
    const done = (text: string | undefined) => {
      const error = text === undefined ? { type: String(status) } : errorFromBody(text, status);
      const summary: ResponseSummary = { errorType: error.type };
      if ("message" in error && error.message !== undefined) summary.errorMessage = error.message;
      this.#finish(summary, true);
    };
    if (response.body === null) {
      done(undefined);
    } else if (this.#owned) {
      // Our own span: read a copy now, so the span ends even if the app never reads the error body.
      response.clone().text().then(done, () => done(undefined));
    } else {
      // The app's llmCall(): fill it before the app's own read of the error body returns.
      observeBody(response, wholeBodyObserver((text) => done(text ?? ""), () => done(undefined)));
    }
  }

  #jsonObserver(): BodyObserver {
    return new JsonBodyObserver(this);
  }

  /** A JSON body, whole, as the app got it (`parsed` when it came from json()). */
  onJson(text: string | undefined, parsed?: unknown): void {
    if (parsed === undefined) {
      if (text === undefined) {
        this.#finish({});
        return;
      }
      try {
        parsed = JSON.parse(text);
      } catch {
        this.#finish({});
        return;
      }
    }
    this.#finish(summarizeJson(this.#api, parsed, this.#config.captureContent));
  }

  onJsonInterrupted(reason: unknown): void {
    this.#interrupted(reason);
  }

  #sseObserver(): BodyObserver {
    const accumulator = streamAccumulator(this.#api, this.#config.captureContent);
    const parser = new SseParser(accumulator);
    let observing = true;
    let first = true;
    const guard = (step: () => void) => {
      if (!observing) return;
      try {
        step();
      } catch (error) {
        observing = false;
        diag.warn("@jotty/otel fetch capture: stopped observing a stream", error);
      }
    };
    // Once the head is in, the chunks are only kept (those of the last TAIL_EVENTS events), not parsed:
    // usage, finish reasons and errors come at the end, and are parsed from the tail then.
    const tail = new TailWindow();
    let tailing = false;
    const readTail = () => {
      if (!tailing) {
        parser.end();
        return;
      }
      tailing = false;
      const rest = new SseParser({ wants: () => true, event: (event, data) => accumulator.event(event, data) });
      rest.text(tail.text());
      rest.end();
      tail.clear();
    };
    return {
      chunk: (bytes) => {
        if (first) {
          first = false;
          this.handle.setTimeToFirstChunk((performance.now() - this.#startedAt) / 1000);
        }
        if (tailing) {
          tail.push(bytes);
          return;
        }
        guard(() => {
          // Small slices, so a big first chunk is not decoded past the events the head needs.
          for (let at = 0; at < bytes.byteLength; at += HEAD_SLICE) {
            parser.feed(bytes.subarray(at, at + HEAD_SLICE));
            if (accumulator.onlyTailNeeded) {
              tailing = true;
              tail.start(parser.takePending());
              if (at + HEAD_SLICE < bytes.byteLength) tail.push(bytes.subarray(at + HEAD_SLICE));
              return;
            }
          }
        });
      },
      end: () => {
        guard(readTail);
        this.#finish(accumulator.finish());
      },
      whole: (text) => {
        if (text !== undefined) {
          guard(() => {
            parser.text(text);
            parser.end();
          });
        }
        this.#finish(accumulator.finish());
      },
      interrupted: (reason) => {
        guard(readTail);
        // SDKs stop reading at the end event ([DONE], message_stop) and cancel the rest.
        if (accumulator.complete) this.#finish(accumulator.finish());
        else this.#interrupted(reason, accumulator.finish());
      },
    };
  }

  /** The body stopped early: cancelled by the app, aborted, or the connection failed. */
  #interrupted(reason: unknown, partial: ResponseSummary = {}): void {
    // An error event from the provider explains the stop better than the abort that followed it.
    if (partial.errorType !== undefined) {
      this.#finish(partial);
      return;
    }
    const cancelled = reason === undefined || !(reason instanceof Error) || reason.name === "AbortError";
    const summary: ResponseSummary = { ...partial, errorType: cancelled ? "cancelled" : errorType(reason) };
    summary.errorMessage = reason instanceof Error ? reason.message : reason === undefined ? "cancelled" : String(reason);
    this.#finish(summary);
  }

  #finish(summary: ResponseSummary, httpError = false): void {
    if (this.#done) return;
    this.#hash();
    this.#done = true;
    unread.unregister(this);
    try {
      const handle = this.handle;
      const response: { model?: string; id?: string; finishReasons?: string[] } = {};
      if (summary.model !== undefined) response.model = summary.model;
      if (summary.id !== undefined) response.id = summary.id;
      if (summary.finishReasons !== undefined) response.finishReasons = summary.finishReasons;
      handle.setResponse(response);
      const usage = usageFor(this.#api, summary.rawUsage);
      if (usage !== undefined) handle.setUsage(usage);
      else if (!httpError) handle.setAttributes({ [ATTR_JOTTY_LLM_USAGE_MISSING]: true });
      if (this.#config.captureContent && summary.outputMessages !== undefined) {
        this.setContent(ATTR_GEN_AI_OUTPUT_MESSAGES, summary.outputMessages);
      }
      if (summary.errorType !== undefined) handle.setError(summary.errorType, summary.errorMessage);
    } catch (error) {
      diag.warn("@jotty/otel fetch capture: could not record the response", error);
    } finally {
      if (this.#owned) this.#call.end();
    }
  }
}

/** How many of a stream's last events are kept (OpenAI: finish, usage, [DONE]; Anthropic: message_delta, message_stop). */
const TAIL_EVENTS = 4;
/** Stream bytes held before any are let go. */
const TAIL_KEEP = 64 * 1024;
const HEAD_SLICE = 4 * 1024;

/**
 * The end of a stream, kept as the chunks that carried it (no copies). Chunks are only appended;
 * once more than TAIL_KEEP bytes are held, those before the last TAIL_EVENTS events (found by
 * looking back for blank lines) are let go.
 */
class TailWindow {
  /** Text not parsed yet when the window opened (it starts at an event). */
  #head = "";
  #items: Uint8Array[] = [];
  #size = 0;
  /** False once chunks were let go: the head no longer joins on to what is kept. */
  #whole = true;

  start(head: string): void {
    this.#head = head;
  }

  push(chunk: Uint8Array): void {
    this.#items.push(chunk);
    this.#size += chunk.byteLength;
    if (this.#size <= TAIL_KEEP) return;
    const start = this.#lastEventsStart();
    if (start === undefined) return;
    // Let go of the chunks wholly before the last events.
    const [item] = start;
    if (item > 0) {
      for (const dropped of this.#items.splice(0, item)) this.#size -= dropped.byteLength;
      this.#whole = false;
      this.#head = "";
    }
  }

  clear(): void {
    this.#items = [];
    this.#head = "";
  }

  /** The kept text from the start of the TAIL_EVENTS-th last event (all of it when there are fewer). */
  text(): string {
    const start = this.#lastEventsStart();
    if (start === undefined) {
      const all = tailDecoder.decode(this.#items.length === 1 ? this.#items[0]! : Buffer.concat(this.#items));
      return this.#whole ? this.#head + all : all.slice(Math.max(0, all.indexOf("\n\n") + 2));
    }
    const [item, offset] = start;
    const rest = this.#items.slice(item);
    rest[0] = rest[0]!.subarray(offset);
    return tailDecoder.decode(rest.length === 1 ? rest[0] : Buffer.concat(rest));
  }

  /** [chunk index, offset] where the TAIL_EVENTS-th last event starts, or undefined when fewer are kept. */
  #lastEventsStart(): [number, number] | undefined {
    const items = this.#items;
    const byteBefore = (item: number, index: number, back: number): number => {
      let i = index - back;
      let k = item;
      while (i < 0) {
        k--;
        if (k < 0) return -1;
        i += items[k]!.byteLength;
      }
      return items[k]![i]!;
    };
    let found = 0;
    for (let k = items.length - 1; k >= 0; k--) {
      const chunk = items[k]!;
      for (let i = chunk.byteLength - 1; i >= 0; i--) {
        i = chunk.lastIndexOf(10, i);
        if (i === -1) break;
        const before = byteBefore(k, i, 1);
        // A blank line: "\n\n", or "\n\r\n" in CRLF streams. The final one ends the stream, not an event before ours.
        if (before === 10 || (before === 13 && byteBefore(k, i, 2) === 10)) {
          if (++found > TAIL_EVENTS) return i + 1 < chunk.byteLength ? [k, i + 1] : [k + 1, 0];
        }
      }
    }
    return undefined;
  }
}

const tailDecoder = new TextDecoder();

/** JSON bodies larger than this are passed on but not parsed. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;


const unread = new FinalizationRegistry<() => void>((finish) => finish());

/** Follows a JSON body: one object per response, no closures (this runs for every request). */
class JsonBodyObserver implements BodyObserver {
  readonly #capture: LlmCapture;
  #chunks: Uint8Array[] | undefined;
  #size = 0;

  constructor(capture: LlmCapture) {
    this.#capture = capture;
  }

  chunk(bytes: Uint8Array): void {
    this.#size += bytes.byteLength;
    if (this.#size <= MAX_JSON_BYTES) (this.#chunks ??= []).push(bytes);
  }

  end(): void {
    if (this.#size > MAX_JSON_BYTES) this.#capture.onJson(undefined);
    else this.#capture.onJson(this.#chunks === undefined ? "" : Buffer.concat(this.#chunks).toString("utf8"));
  }

  whole(text: string | undefined, parsed?: unknown): void {
    this.#capture.onJson(text, parsed);
  }

  interrupted(reason: unknown): void {
    this.#capture.onJsonInterrupted(reason);
  }
}

/** Observer for bodies only read whole (error bodies). */
function wholeBodyObserver(done: (text: string | undefined) => void, failed: () => void): BodyObserver {
  return {
    chunk: () => {},
    end: () => done(undefined),
    whole: (text, parsed) => done(text ?? (parsed !== undefined ? JSON.stringify(parsed) : undefined)),
    interrupted: () => failed(),
  };
}

/** error.type for a thrown error: the network error code (ECONNREFUSED, UND_ERR_SOCKET) when undici gives one, else its name. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return "_OTHER";
  if (error.name === "AbortError") return "cancelled";
  if (error.name === "TimeoutError") return "timeout";
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (typeof causeCode === "string") return causeCode;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return error.name;
}
