// What the capture learns from a response, whatever its API or framing.
import type { JsonObject } from "./request-body.js";

export interface ResponseSummary {
  model?: string;
  id?: string;
  finishReasons?: string[];
  /** The provider's raw usage object (mapped by the llm module's usage adapters). */
  rawUsage?: unknown;
  errorType?: string;
  errorMessage?: string;
  /** Output in the GenAI conventions' message form, only gathered when content capture is on. */
  outputMessages?: unknown[];
}

export interface Accumulator {
  /** A cheap test on a block of whole SSE events: could it hold anything this accumulator needs? */
  wants(block: string): boolean;
  /** One SSE event (streaming) or the whole parsed JSON body (non-streaming, pass event ""). */
  event(event: string, data: string): void;
  finish(): ResponseSummary;
  /** The provider's end-of-response event was seen: an app that stops reading now lost nothing. */
  readonly complete: boolean;
  /**
   * True once everything this accumulator needs from the start of the stream is in, and the rest
   * lies in the stream's last events (usage, finish reasons, errors): the middle can go unparsed.
   */
  readonly onlyTailNeeded: boolean;
}


/** The Responses API has no finish_reason: its status (or why it is incomplete) plays that role. */
export function responsesFinishReason(response: JsonObject): string | undefined {
  if (typeof response.incomplete_details === "object" && response.incomplete_details !== null &&
    typeof (response.incomplete_details as JsonObject).reason === "string") {
    return (response.incomplete_details as JsonObject).reason as string;
  }
  return typeof response.status === "string" ? response.status : undefined;
}

