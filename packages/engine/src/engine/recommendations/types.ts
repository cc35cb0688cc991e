import type { Report } from "../../report.js";
import type { LlmRollup } from "../llm-rollup.js";
import type { PriceLookup } from "../options.js";
import type { ConversationCall } from "../conversations.js";
import type { StepAcc } from "../steps.js";
import type { TraceFacts } from "../trace-facts.js";

export type Recommendation = Report["recommendations"][number];
export type Example = Recommendation["examples"][number];

/** What an advisor says; the builder adds id, perRun and validate, and drops findings that save nothing. */
export type Draft = Omit<Recommendation, "id" | "perRun" | "validate">;

/** What every advisor may read: built once per report. */
export interface AdvisorContext {
  llm: LlmRollup;
  prices: PriceLookup | undefined;
  /** USD of one uncached input token of a model (0 when unknown). */
  inputRate(provider: string, model: string): number;
  toleranceNs: number;
  cheaperModels(provider: string): readonly string[];
}

/** At finish: the steps (by workflow, then position) and the window's run count. */
export interface FinishContext {
  steps: readonly StepAcc[];
  runs: number;
  /** One-call traces chained into conversations (conversations.ts): runs of apps with no root span. */
  conversations: readonly (readonly ConversationCall[])[];
}

/** One detector: sees each trace once, then says what to change. */
export interface Advisor {
  addTrace?(f: TraceFacts): void;
  findings(done: FinishContext): Draft[];
  /** What addTrace gathered, to merge into the same advisor over another part of the input (merge-state.ts). */
  state?(): unknown;
  merge?(state: unknown): void;
}

export const examplesText = (examples: readonly Example[]): string =>
  examples.length > 0 ? `; e.g. trace ${[...new Set(examples.map((e) => e.traceId))].join(", ")}` : "";

/** Keeps up to `max` examples, one per trace: its smallest span id, so the order spans arrive in does not matter. */
export function addExample(examples: Example[], traceId: string, spanId: string, max: number): void {
  const same = examples.find((e) => e.traceId === traceId);
  if (same !== undefined) {
    if (spanId < same.spanId) same.spanId = spanId;
  } else if (examples.length < max) examples.push({ traceId, spanId });
}
