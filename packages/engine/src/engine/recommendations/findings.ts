// Every advisor of the table over the same traces, and their drafts made findings: a stable id
// (`${kind}:${target}`, the same across windows, so a comparison matches them), the saving per
// run, the command that shows the change worked; findings that save nothing are left out.

import { cmp, ms, usd } from "../numbers.js";
import type { TraceFacts } from "../trace-facts.js";
import { PartsNotMergeable } from "../merge-state.js";
import { createAdvisors } from "./registry.js";
import type { Advisor, AdvisorContext, Draft, FinishContext, Recommendation } from "./types.js";

/** The command a finding's `validate` names: the same analysis of traces before and after the change. */
export const VALIDATE_COMMAND = "jotty-analyze --baseline-file <traces before the change> --file <traces after the change>";

export const findingId = (kind: string, target: string): string => `${kind}:${target}`;

export class Findings {
  private readonly advisors: Advisor[];

  constructor(ctx: AdvisorContext) {
    this.advisors = createAdvisors(ctx);
  }

  addTrace(f: TraceFacts): void {
    for (const advisor of this.advisors) advisor.addTrace?.(f);
  }

  state(): unknown[] {
    return this.advisors.map((a) => a.state?.());
  }

  /** An advisor that gathers (addTrace) but cannot merge makes the parts path read in one pass, never drop its part. */
  merge(states: unknown[]): void {
    this.advisors.forEach((a, i) => {
      if (a.merge !== undefined) a.merge(states[i]);
      else if (a.addTrace !== undefined) throw new PartsNotMergeable(`the ${a.constructor.name} advisor does not merge`);
    });
  }

  finish(done: FinishContext): Recommendation[] {
    return this.advisors
      .flatMap((a) => a.findings(done))
      .filter((d) => d.estimatedSavingMs > 0 || d.estimatedSavingUsd > 0)
      .map((d) => complete(d, done.runs))
      .sort(
        (a, b) => b.estimatedSavingMs - a.estimatedSavingMs || b.estimatedSavingUsd - a.estimatedSavingUsd || cmp(a.kind, b.kind) || cmp(a.target, b.target),
      );
  }
}

function complete(d: Draft, runs: number): Recommendation {
  const per = Math.max(1, runs);
  return {
    id: findingId(d.kind, d.target),
    ...d,
    perRun: { estimatedSavingMs: ms((d.estimatedSavingMs * 1e6) / per), estimatedSavingUsd: usd(d.estimatedSavingUsd / per) },
    validate: VALIDATE_COMMAND,
  };
}
