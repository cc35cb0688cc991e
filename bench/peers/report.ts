// The peer benchmarks' tables: medians over rounds, each contender's CPU above the bare client's
// in the same round, and the ratio of our added CPU to the lightest peer's.
import { median, quartiles } from "../stats.ts";
import type { Contender } from "./contenders.ts";
import type { RequestCheck } from "./llm-spans.ts";
import type { Mode } from "./protocol.ts";

export interface ContenderResult {
  contender: Contender;
  checks: Record<Mode, RequestCheck>;
  /** µs per request, one value per round. */
  cpu: Record<Mode, number[]>;
  wall: Record<Mode, number[]>;
  maxRssKb: number;
}

interface RunInfo {
  rounds: number;
  counts: Record<Mode, number>;
  cpus: number;
  loadBefore: number[];
  loadAfter: number[];
}

const MODES: Mode[] = ["json", "stream"];
const OURS = "@jotty/otel";

/** This contender's CPU minus the bare client's, round by round. */
function addedPerRound(result: ContenderResult, bare: ContenderResult, mode: Mode): number[] {
  return result.cpu[mode].map((cpu, round) => cpu - bare.cpu[mode][round]!);
}

/** Median over rounds of this contender's CPU minus the bare client's in the same round. */
function addedCpu(result: ContenderResult, bare: ContenderResult, mode: Mode): number {
  return median(addedPerRound(result, bare, mode));
}

/** "+195 (110…260)": the median added CPU and the middle half of the rounds. */
function addedCell(result: ContenderResult, bare: ContenderResult, mode: Mode): string {
  const [low, high] = quartiles(addedPerRound(result, bare, mode));
  return `${signed(addedCpu(result, bare, mode))} (${fmt(low)}…${fmt(high)})`;
}

/** "1 span, tokens yes / 1 span, tokens NO": what the contender recorded per request, JSON / stream. */
export function spanCheck(checks: Record<Mode, RequestCheck>): string {
  return MODES.map((mode) => {
    const counts = [...new Set(checks[mode].llmSpansPerRequest)];
    const spans = counts.length === 1 && counts[0] === 1 ? "1 span" : `spans ${counts.join("/")}`;
    return `${spans}, tokens ${checks[mode].tokens ? "yes" : "NO"}`;
  }).join(" / ");
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
/** A difference with its sign, "–" when there is none. */
export const signed = (n: number, digits = 0) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(digits)}` : "–");

export interface Added {
  name: string;
  /** µs of CPU per request above the same requests without it. */
  added: number;
  /** Its LLM span carried the answer's tokens. */
  tokens: boolean;
}

/** Our added CPU against the lightest peer's (all peers, and those that record the tokens). */
export function lightestLine(mode: Mode, contenders: Added[]): string {
  const ours = contenders.find((c) => c.name === OURS);
  const peers = contenders.filter((c) => c !== ours);
  if (ours === undefined || peers.length === 0) return "";
  const describe = (list: Added[], label: string) => {
    if (list.length === 0) return `no peer ${label}`;
    const lightest = list.reduce((a, b) => (a.added <= b.added ? a : b));
    // Below the noise of the measurement a ratio means nothing.
    const ratio = lightest.added > 0 && ours.added > 0 ? `${(ours.added / lightest.added).toFixed(2)} ×` : "(no ratio: an added CPU within the noise) vs";
    return `${ratio} the lightest peer ${label}(${lightest.name}, ${signed(lightest.added)} µs)`;
  };
  const ok = peers.every((p) => ours.added <= p.added);
  return `${mode === "json" ? "JSON" : "Stream"}: our added CPU ${signed(ours.added)} µs = ${describe(peers, "")}; ${describe(
    peers.filter((p) => p.tokens),
    "that records the tokens ",
  )} -> ${ok ? "ok, lightest" : "NOT the lightest"}`;
}

export function renderReport(results: ContenderResult[], run: RunInfo): string {
  const bare = results[0]!;
  const lines = [
    `Peer benchmark: ${run.counts.json} JSON requests and ${run.counts.stream} streams per contender per round, ${run.rounds} rounds, medians.`,
    `${new Date().toISOString()}, ${run.cpus} CPUs, 1-min load ${fmt(run.loadBefore[0]!, 2)} before / ${fmt(run.loadAfter[0]!, 2)} after, Node ${process.version}.`,
    "",
    "| contender | CPU µs/req JSON | added (middle half of rounds) | CPU µs/stream | added (middle half) | wall µs JSON | wall µs stream | peak RSS MB | LLM span per request (JSON / stream) |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const timed = r.cpu.json.length > 0;
    const cells = timed
      ? [
          fmt(median(r.cpu.json)),
          r === bare ? "0" : addedCell(r, bare, "json"),
          fmt(median(r.cpu.stream)),
          r === bare ? "0" : addedCell(r, bare, "stream"),
          fmt(median(r.wall.json)),
          fmt(median(r.wall.stream)),
          fmt(r.maxRssKb / 1024, 1),
        ]
      : ["not timed: records no LLM span", "", "", "", "", "", ""];
    lines.push(`| ${r.contender.name} | ${cells.join(" | ")} | ${r.contender.llm ? spanCheck(r.checks) : "–"} |`);
  }
  const llm = results.filter((r) => r.contender.llm && r.cpu.json.length > 0);
  lines.push("");
  for (const mode of MODES) {
    lines.push(
      lightestLine(
        mode,
        llm.map((r) => ({ name: r.contender.name, added: addedCpu(r, bare, mode), tokens: r.checks[mode].tokens })),
      ),
    );
  }
  return lines.join("\n");
}
