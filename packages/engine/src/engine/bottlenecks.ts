// Bottlenecks: LLM calls and steps by share of wall time, other operations by share of the
// critical path; impact levels from IMPACT_LEVELS. Spans below an LLM call (the HTTP request
// of an llm_call) are part of the call: their critical-path time counts for "LLM calls", and an
// operation is judged only on its spans outside LLM calls.

import type { Impact, Report } from "../report.js";
import { BOTTLENECK_MIN_SHARE, IMPACT_LEVELS } from "./constants.js";
import { cmp, countedList } from "./numbers.js";
import type { OperationRow } from "./operations.js";

export function impactOf(share: number): Impact {
  for (const level of IMPACT_LEVELS) if (share >= level.minShare) return level.impact;
  return "low";
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
/** Milliseconds for reading: whole from 100 ms, else to a tenth (report fields keep microseconds). */
const msText = (x: number) => `${x >= 100 ? Math.round(x) : Math.round(x * 10) / 10} ms`;

export function bottlenecks(llm: Report["llm"], steps: Report["steps"], operations: readonly OperationRow[], top: number): Report["bottlenecks"] {
  const items: { name: string; share: number; why: string }[] = [];
  if (llm.calls > 0) {
    items.push({
      name: "LLM calls",
      share: llm.share,
      why: `${llm.calls} LLM call(s) cover ${pct(llm.share)} of wall time and ${pct(llm.criticalShare)} of the critical path`,
    });
  }
  for (const s of steps) {
    const run = steps.filter((x) => x.workflow === s.workflow);
    const slowest = run.reduce((a, x) => (x.meanMs > a.meanMs ? x : a), run[0]!);
    const firstWithTokens = run.find((x) => x.meanInputTokens > 0);
    let why = `${s.count} run(s), mean ${msText(s.meanMs)}, p95 ${msText(s.p95Ms)}`;
    if (s === slowest && run.length > 1) why += `; the slowest step${s.workflow ? ` of ${s.workflow}` : ""}`;
    if (firstWithTokens && s.position > firstWithTokens.position && s.meanInputTokens > firstWithTokens.meanInputTokens) {
      why += `; mean input tokens ${Math.round(s.meanInputTokens)} vs ${Math.round(firstWithTokens.meanInputTokens)} in ${firstWithTokens.name}: the context has grown`;
    }
    const troubles = countedList([
      [s.timeouts, "timeout", "timeouts"],
      [s.retries, "retry", "retries"],
      [s.failures, "failure", "failures"],
    ]);
    if (troubles !== "") why += `; ${troubles}`;
    items.push({ name: `step ${s.position}: ${s.name}${s.workflow ? ` ("${s.workflow}")` : ""}`, share: s.share, why });
  }
  for (const op of operations) {
    if (op.reportedElsewhere) continue;
    const own = op.outsideLlm;
    const inLlm = op.count - own.count;
    items.push({
      name: op.name,
      share: own.criticalShare,
      why:
        `${pct(own.criticalShare)} of the critical path (${msText(own.criticalMs)}) over ${own.count} span(s), self time ${msText(own.selfMs)}, p95 ${msText(own.p95Ms)}` +
        (inLlm > 0 ? `; ${inLlm} more below LLM calls count as LLM time` : ""),
    });
  }
  return items
    .filter((b) => b.share >= BOTTLENECK_MIN_SHARE)
    .sort((a, b) => b.share - a.share || cmp(a.name, b.name))
    .slice(0, top)
    .map((b) => ({ name: b.name, impact: impactOf(b.share), share: b.share, why: b.why }));
}
