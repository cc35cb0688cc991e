// The transport-neutral view of a response body the capture follows: a transport (fetch,
// node:http) feeds it what the app receives, in the order the app receives it.

export interface BodyObserver {
  /** A chunk the app just received. */
  chunk(bytes: Uint8Array): void;
  /** The body ended normally. */
  end(): void;
  /** The whole body, read at once (a body method); `parsed` when it came from json(). */
  whole(text: string | undefined, parsed?: unknown): void;
  /** Reading failed, was aborted, or the app cancelled the stream. */
  interrupted(reason: unknown): void;
  /** Nobody can read the rest any more (the body became unreachable, or the process is exiting): end with what was read. */
  abandoned(): void;
}

export type BodyFraming = "json" | "sse" | "ndjson" | "aws-eventstream";

/** How a successful response's body is framed, from its Content-Type. */
export function framingOf(contentType: string): BodyFraming {
  if (contentType.includes("text/event-stream")) return "sse";
  if (contentType.includes("ndjson")) return "ndjson";
  if (contentType.includes("application/vnd.amazon.eventstream")) return "aws-eventstream";
  return "json";
}
