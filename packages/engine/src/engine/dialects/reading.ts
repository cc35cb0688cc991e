// What a dialect reader makes of one span: the neutral role, and the LLM usage record of an
// inference span. Every reader maps its vocabulary onto this; the engine reads nothing else.

import type { Span } from "../../model.js";
import { plausibleCost, plausibleTokens } from "../plausible.js";

/** MergedLlm: an inference span counted as part of another one's call (see merge-calls.ts). */
export const Role = { Other: 0, Llm: 1, Step: 2, Attempt: 3, Tool: 4, Workflow: 5, MergedLlm: 6 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/**
 * How a framework span frames the work below it. A Container (an agent, chain, workflow, task,
 * AI SDK generateText) is a run when nothing above it is a run or step, and a step of the run
 * directly above it otherwise. A FrameworkStep is a step wherever it is (AI SDK 7 `step N`).
 */
export const Frame = { None: 0, Container: 1, FrameworkStep: 2 } as const;
export type Frame = (typeof Frame)[keyof typeof Frame];

/** Bits of LlmInfo.recorded: which usage figures the span itself carried. */
export const Usage = { Input: 1, Output: 2, CacheRead: 4, CacheWrite: 8, Reasoning: 16, Cost: 32 } as const;
export const TOKEN_USAGE = Usage.Input | Usage.Output;

export interface LlmInfo {
  provider: string;
  /** The requested model (else the response's): the by-model rows' key. */
  model: string;
  /** The model prices are looked up for: the one the response names (it served the call), else `model`. */
  pricedModel: string;
  /** Input tokens including cached ones (the GenAI convention). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** USD from a recorded cost; NaN when the span has none. */
  costUsd: number;
  promptHash: string;
  /** Usage bits the span recorded; a figure whose bit is clear is 0 because it is unknown. */
  recorded: number;
  /**
   * A framework's per-run record summing the usage of the requests below it (Mastra's
   * model_generation): never a call beside them (rollups.ts).
   */
  rollup?: true;
  /** Requests this record stands for: a roll-up whose requests recorded no usage of their own. */
  requests?: number;
  /** Figures the span carried that no provider returns (plausible.ts): read as not recorded. */
  refused?: { tokens: number; cost: number; example: string };
}

export interface Reading {
  role: Role;
  /** The dialect that read the span (set by readSpan). */
  dialect?: string;
  frame?: Frame;
  llm?: LlmInfo;
  /** Run, step or tool name, when the dialect has a better one than the span name. */
  label?: string;
  /** Step position the dialect states (AI SDK 7 `step N`). */
  stepIndex?: number;
}

/** A reader returns undefined for spans that are not in its dialect. */
export type DialectReader = (span: Span) => Reading | undefined;

export interface UsageParts {
  provider?: string | undefined;
  model?: string | undefined;
  responseModel?: string | undefined;
  input?: number | undefined;
  output?: number | undefined;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
  reasoning?: number | undefined;
  cost?: number | undefined;
  promptHash?: string | undefined;
}

export function llmInfo(parts: UsageParts): LlmInfo {
  const bit = (v: number | undefined, b: number) => (v === undefined ? 0 : b);
  const { p, refused } = plausibleUsage(parts);
  return {
    provider: p.provider ?? "unknown",
    model: p.model ?? p.responseModel ?? "unknown",
    pricedModel: p.responseModel ?? p.model ?? "unknown",
    inputTokens: p.input ?? 0,
    outputTokens: p.output ?? 0,
    cacheReadTokens: p.cacheRead ?? 0,
    cacheWriteTokens: p.cacheWrite ?? 0,
    reasoningTokens: p.reasoning ?? 0,
    costUsd: p.cost ?? Number.NaN,
    promptHash: p.promptHash ?? "",
    recorded:
      bit(p.input, Usage.Input) |
      bit(p.output, Usage.Output) |
      bit(p.cacheRead, Usage.CacheRead) |
      bit(p.cacheWrite, Usage.CacheWrite) |
      bit(p.reasoning, Usage.Reasoning) |
      bit(p.cost, Usage.Cost),
    ...(refused !== undefined ? { refused } : {}),
  };
}

const TOKEN_PARTS = ["input", "output", "cacheRead", "cacheWrite", "reasoning"] as const;

/** The parts without the figures no provider returns, and what was refused. */
function plausibleUsage(p: UsageParts): { p: UsageParts; refused?: LlmInfo["refused"] } {
  let refused: LlmInfo["refused"];
  let out = p;
  const refuse = (key: (typeof TOKEN_PARTS)[number] | "cost", text: string) => {
    refused ??= { tokens: 0, cost: 0, example: "" };
    if (key === "cost") refused.cost++;
    else refused.tokens++;
    refused.example += `${refused.example === "" ? "" : ", "}${text}`;
    out = { ...out, [key]: undefined };
  };
  for (const key of TOKEN_PARTS) {
    const v = p[key];
    if (v !== undefined && !plausibleTokens(v)) refuse(key, `${key} tokens ${v}`);
  }
  if (p.cost !== undefined && !plausibleCost(p.cost)) refuse("cost", `cost $${p.cost}`);
  return refused === undefined ? { p } : { p: out, refused };
}
