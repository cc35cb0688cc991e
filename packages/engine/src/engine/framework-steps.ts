// Runs and steps of agent frameworks. A framework container (agent, chain, workflow, task, AI SDK
// generateText) is a run when no run or step is above it, a step of the run directly above it,
// and plain "other" inside a step. AI SDK 7 `step N` spans are steps wherever they are, and an
// LLM call directly under a framework run (AI SDK 5/6 doGenerate under generateText) is a step
// of it too: each call of the agent loop is one.

import type { LinkedTrace } from "./link-trace.js";
import { Frame, Role, type SpanNode } from "./span-node.js";

export function resolveFrameworkSteps(trace: LinkedTrace<SpanNode>): void {
  const { nodes, parent, order } = trace;
  const n = nodes.length;
  /** Nearest run or step at or above each span, -1 if none. */
  const frameOf = new Int32Array(n);
  /** Step positions handed out per run (1-based, as the AI SDK numbers its steps). */
  const positions = new Map<number, number>();
  const nextPosition = (run: number, stated: number): number => {
    const position = stated >= 0 ? stated : (positions.get(run) ?? 0) + 1;
    positions.set(run, Math.max(position, positions.get(run) ?? 0));
    return position;
  };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const node = nodes[i]!;
    const p = parent[i]!;
    const above = p >= 0 ? frameOf[p]! : -1;
    const runAbove = above >= 0 && nodes[above]!.role === Role.Workflow ? above : -1;
    if (node.frame === Frame.Container) {
      if (above < 0) {
        node.role = Role.Workflow;
        node.workflow = node.label;
      } else if (runAbove >= 0) makeStep(node, node.label, nextPosition(runAbove, node.stepIndex));
    } else if (node.frame === Frame.FrameworkStep) {
      makeStep(node, node.name, runAbove >= 0 ? nextPosition(runAbove, node.stepIndex) : node.stepIndex);
    } else if (node.role === Role.Llm && runAbove >= 0 && runAbove === p && nodes[p]!.frame === Frame.Container) {
      const position = nextPosition(runAbove, -1);
      node.step = frameworkStep(node, `step ${position}`, position);
    }
    frameOf[i] = node.role === Role.Workflow || isStep(node) ? i : above;
  }
}

/** A step span, or an LLM call that is itself a step of a framework run. */
export function isStep(node: SpanNode): boolean {
  return node.role === Role.Step || (node.role === Role.Llm && node.step !== undefined);
}

function makeStep(node: SpanNode, name: string, position: number): void {
  node.role = Role.Step;
  node.step = frameworkStep(node, name, position);
}

function frameworkStep(node: SpanNode, name: string, position: number): NonNullable<SpanNode["step"]> {
  return { name, index: position, attempt: 0, attempts: 1, outcome: node.error ? "error" : "ok", timeoutEvents: 0, retriedNs: 0, errorType: "" };
}
