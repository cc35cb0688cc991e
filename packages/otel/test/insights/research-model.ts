// The model of issue 21's research scenario, played by the replay server in the provider's
// recorded wire shapes: `burst` 429s first, then three searches and the answer.
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import type { ReplayServer } from "@jotty/test-kit/replay-server";
import { openAIChatAnswer, tokensOf } from "./recorded-shapes.js";

export const NEW_KINDS = ["rate-limits", "prompt-caching", "oversized-tool-results", "tool-loop", "verbose-output"] as const;
// About 6,000 tokens (24,000 bytes), the same on every call.
export const SYSTEM =
  "You are a research agent. Follow the house rules below exactly.\n" + "Rule: cite every source you use, with its URL and date. ".repeat(430);
export const RETRY_AFTER_MS = 20;
export const MAX_TOKENS = 512;

export interface ResearchScenario {
  /** 429s before the first answer. */
  burst: number;
  toolResultBytes: number;
  /** The model asks for the same search every turn (else a new query each turn). */
  sameArgs: boolean;
  /** The last answer is cut at max_tokens (else it stops on its own, short). */
  cut: boolean;
  /** The server reports the shared prefix as read from its cache. */
  cached: boolean;
}

/** Plays the model on `server`; answer ids are `${idPrefix}-1`, `-2`… */
export function serveResearchModel(server: ReplayServer, s: ResearchScenario, idPrefix: string): void {
  let refusals = s.burst;
  let answers = 0;
  server.handle((_req, res, body) => {
    if (refusals > 0) {
      refusals--;
      res.writeHead(429, {
        "content-type": "application/json",
        "retry-after-ms": String(RETRY_AFTER_MS),
        "retry-after": "1",
        "x-ratelimit-remaining-tokens": "0",
      });
      res.end(fixtureBytes("openai-chat/openai-rate-limit.429.json"));
      return;
    }
    const request = JSON.parse(body) as { messages: { role: string }[] };
    const turn = request.messages.filter((m) => m.role === "tool").length;
    const promptTokens = tokensOf(body);
    const cachedTokens = s.cached && answers > 0 ? Math.floor((promptTokens - 300) / 128) * 128 : 0;
    answers++;
    const answer = researchAnswer(turn, s, { promptTokens, cachedTokens }, `${idPrefix}-${answers}`);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
}

/** The model's answer on `turn` (tool results so far): a search while turn < 3, then the answer. */
export function researchAnswer(
  turn: number,
  s: Pick<ResearchScenario, "sameArgs" | "cut">,
  usage: { promptTokens: number; cachedTokens: number },
  id: string,
): string {
  const query = s.sameArgs ? "gen_ai semantic conventions" : `gen_ai conventions part ${turn}`;
  return turn < 3
    ? openAIChatAnswer(
        {
          toolCalls: [{ id: `call_${turn}`, name: "search", arguments: JSON.stringify({ query }) }],
          finishReason: "tool_calls",
          completionTokens: 18,
          ...usage,
        },
        id,
      )
    : openAIChatAnswer({ content: "The conventions name…", finishReason: s.cut ? "length" : "stop", completionTokens: s.cut ? MAX_TOKENS : 60, ...usage }, id);
}
