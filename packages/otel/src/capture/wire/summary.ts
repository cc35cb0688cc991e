// What the capture learns from a response, whatever its API or framing.
import type { ToolCallPrint } from "./tool-calls.js";

export interface ResponseSummary {
  model?: string;
  id?: string;
  finishReasons?: string[];
  /** The provider's raw usage object (mapped by the API adapter's usage()). */
  rawUsage?: unknown;
  errorType?: string;
  /** The provider's error code, when it is not the type (OpenAI's `code`, Gemini's HTTP code). */
  errorCode?: string;
  /** The provider's broad error class when errorType is its specific code (OpenAI's `type`). */
  errorKind?: string;
  /** The provider's error message: it may quote the request (prompt, system text). */
  errorMessage?: string;
  /** Output in the GenAI conventions' message form, only gathered when content capture is on. */
  outputMessages?: unknown[];
  /** Fingerprints of the tool calls the response asks for (whole JSON responses). */
  toolCalls?: ToolCallPrint[];
  /** Further span attributes the provider tells (Ollama's server durations, a skipped event). */
  attributes?: Record<string, number | boolean>;
}

export interface Accumulator {
  /** A cheap test on a block of whole events: could it hold anything this accumulator needs? */
  wants(block: string): boolean;
  /** One streamed event: an SSE event (name, data) or an NDJSON line (event ""). */
  event(event: string, data: string): void;
  finish(): ResponseSummary;
  /** The provider's end-of-response event was seen: an app that stops reading now lost nothing. */
  readonly complete: boolean;
  /**
   * True once everything this accumulator needs from the start of the stream is in, and the rest
   * lies in the stream's last events (usage, finish reasons, errors): the middle can go unparsed.
   */
  readonly onlyTailNeeded: boolean;
  /** An event too long to join and parse on spec: could it hold anything needed, from its first and last characters? */
  wantsLargeEvent?(head: string, tail: string | undefined): boolean;
}

/** The event type: the SSE `event:` name, else the payload's leading "type" field. */
const TYPE_PEEK = /^\{\s*"type"\s*:\s*"([^"]+)"/;
export function eventType(event: string, data: string): string | undefined {
  if (event !== "") return event;
  return TYPE_PEEK.exec(data.slice(0, 64))?.[1];
}
