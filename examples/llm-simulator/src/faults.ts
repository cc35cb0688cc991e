import type { ChatRequest } from "./wire.ts";

/** Which requests a fault hits: by 1-based request number and/or a predicate on the request body. */
export interface FaultMatch {
  /** Request numbers (1-based, in arrival order) to hit. */
  requests?: number[];
  /** Hit requests whose last message contains this text. */
  lastMessageIncludes?: string;
  /** Hit at most this many requests in total (a burst), default unlimited. */
  times?: number;
}

export type Fault =
  /** Answers only after `delayMs` (scaled): slower than a caller's timeout. */
  | (FaultMatch & { kind: "slow"; delayMs: number })
  /** Answers with an OpenAI error body: 429 rate limit or 500 server error. */
  | (FaultMatch & { kind: "rate_limit" | "server_error"; retryAfterMs?: number });

export class FaultPlan {
  readonly #faults: Fault[];
  readonly #hits = new Map<Fault, number>();

  constructor(faults: Fault[] = []) {
    this.#faults = faults;
  }

  /** The first fault that applies to request number `n`, counted as hit. */
  pick(n: number, body: ChatRequest): Fault | undefined {
    for (const fault of this.#faults) {
      const hits = this.#hits.get(fault) ?? 0;
      if (fault.times !== undefined && hits >= fault.times) continue;
      if (fault.requests && !fault.requests.includes(n)) continue;
      if (fault.lastMessageIncludes !== undefined) {
        const last = body.messages.at(-1)?.content;
        if (typeof last !== "string" || !last.includes(fault.lastMessageIncludes)) continue;
      }
      this.#hits.set(fault, hits + 1);
      return fault;
    }
    return undefined;
  }
}

/** OpenAI's error body shape (`{ error: { message, type, param, code } }`). */
export function errorBody(kind: "rate_limit" | "server_error" | "invalid_request", message?: string) {
  switch (kind) {
    case "rate_limit":
      return {
        status: 429,
        body: {
          error: {
            message: message ?? "Rate limit reached for requests (simulated). Please try again shortly.",
            type: "requests",
            param: null,
            code: "rate_limit_exceeded",
          },
        },
      };
    case "server_error":
      return {
        status: 500,
        body: {
          error: {
            message: message ?? "The server had an error while processing your request (simulated).",
            type: "server_error",
            param: null,
            code: null,
          },
        },
      };
    case "invalid_request":
      return {
        status: 400,
        body: { error: { message: message ?? "Invalid request.", type: "invalid_request_error", param: null, code: null } },
      };
  }
}
