// Messages between the peer benchmark and its contender processes.
import type { RequestCheck } from "./llm-spans.ts";

export type Mode = "json" | "stream";
export interface Batch {
  kind: "batch";
  mode: Mode;
  count: number;
}
export type ChildMessage =
  | { kind: "ready"; checks: Record<Mode, RequestCheck> }
  | { kind: "result"; cpuUs: number; wallUs: number }
  | { kind: "error"; message: string }
  | { kind: "rss"; maxRssKb: number };
