// The seed's three agent scenarios as data: which steps, what each asks the model, how long the
// answers are, which tools run. The agent (agent.ts) executes them; the demo test reads the same
// definitions to know the configured truth (step counts, retries).
import type { Fault } from "@jotty/llm-simulator";
import { seededRandom } from "./seeded-random.ts";

export interface ToolUse {
  name: string;
  /** Tool latency before time scaling, ms (stands in for a search API or a test run). */
  ms: number;
  /** How many run in parallel. */
  parallel?: number;
}

export interface StepSpec {
  name: string;
  instruction: string;
  /** Completion length asked of the model (max_tokens). */
  outputTokens: number;
  stream?: boolean;
  /** Tools run before the model call. */
  tools?: ToolUse[];
  maxRetries?: number;
}

export interface ScenarioSpec {
  id: "problem-solving" | "code-generation" | "research";
  title: string;
  model: string;
  task: string;
  steps: StepSpec[];
}

export const SYSTEM_PROMPT =
  "You are Jotty, a careful autonomous agent. Work step by step. Keep every intermediate result, " +
  "because later steps build on earlier ones. Explain assumptions, state the checks you ran, and " +
  "answer in plain prose with short code blocks only when code is asked for. ".repeat(3);

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    id: "problem-solving",
    title: "Multi-Step Problem Solving",
    model: "gpt-4.1-mini",
    task: "A warehouse ships 1,200 parcels a day with three vans; deliveries run late every Friday. Find out why and propose a fix.",
    steps: [
      { name: "understand_problem", instruction: "Restate the problem and list what is known and unknown.", outputTokens: 300 },
      { name: "decompose_problem", instruction: "Break the problem into sub-problems that can be solved separately.", outputTokens: 400 },
      { name: "solve_subproblems", instruction: "Solve each sub-problem in turn, with the numbers.", outputTokens: 600 },
      { name: "synthesize_solution", instruction: "Combine the partial answers into one recommendation.", outputTokens: 450, stream: true },
    ],
  },
  {
    id: "code-generation",
    title: "Code Generation with Validation",
    model: "gpt-4.1",
    task: "Write a TypeScript function that merges overlapping time intervals, with tests.",
    steps: [
      { name: "plan_code", instruction: "Plan the function: signature, edge cases, complexity.", outputTokens: 300 },
      { name: "generate_code", instruction: "Write the function and its unit tests.", outputTokens: 600, stream: true },
      {
        name: "validate_code",
        instruction: "Review the code against the plan and the test results; list every defect.",
        outputTokens: 350,
        tools: [{ name: "run_tests", ms: 1_500 }],
        maxRetries: 2,
      },
    ],
  },
  {
    id: "research",
    title: "Research Task",
    model: "gpt-4.1-mini",
    task: "Compare three approaches to caching LLM prompts and recommend one for a multi-step agent.",
    steps: [
      {
        name: "gather_sources",
        instruction: "Summarise what the search results say about each approach.",
        outputTokens: 500,
        tools: [{ name: "web_search", ms: 1_200, parallel: 3 }],
      },
      { name: "analyze_findings", instruction: "Analyse the trade-offs: latency, cost, staleness, complexity.", outputTokens: 450 },
      { name: "write_report", instruction: "Write the final report with a recommendation.", outputTokens: 550, stream: true },
    ],
  },
];

export function findScenarios(which: string): ScenarioSpec[] {
  if (which === "all") return [...SCENARIOS];
  const found = SCENARIOS.filter((s) => s.id === which);
  if (found.length === 0) throw new Error(`unknown scenario "${which}" (one of: all, ${SCENARIOS.map((s) => s.id).join(", ")})`);
  return found;
}

/** The seed's step timeout, before time scaling. */
export const STEP_TIMEOUT_MS = 25_000;

/** How many times validate_code fails before it passes, fixed by the seed (0, 1 or 2). */
export function validationFailures(seed: number): number {
  const random = seededRandom(seed);
  const r = random();
  return r < 0.25 ? 0 : r < 0.85 ? 1 : 2;
}

/** Marker the agent puts in a step's prompt so the simulator's faults can target that step. */
export const stepMarker = (step: string) => `[step:${step}]`;

/**
 * The demo's injected faults: the first analyze_findings call answers slower than the step
 * timeout (so the runner aborts it and retries), and two 429s hit plan_code's first call
 * (the openai client retries those itself).
 */
export function demoFaults(): Fault[] {
  return [
    { kind: "slow", delayMs: 60_000, lastMessageIncludes: stepMarker("analyze_findings"), times: 1 },
    { kind: "rate_limit", lastMessageIncludes: stepMarker("plan_code"), times: 2, retryAfterMs: 200 },
  ];
}

export interface ExpectedStep {
  scenario: ScenarioSpec["id"];
  name: string;
  attempts: number;
  timeouts: number;
}

/** What a run of these scenarios must show: every step once, with these attempts. */
export function expectedSteps(scenarios: readonly ScenarioSpec[], seed: number, faults: boolean): ExpectedStep[] {
  return scenarios.flatMap((scenario) =>
    scenario.steps.map((step) => {
      const timeouts = faults && step.name === "analyze_findings" ? 1 : 0;
      const failures = step.name === "validate_code" ? validationFailures(seed) : 0;
      return { scenario: scenario.id, name: step.name, attempts: 1 + timeouts + failures, timeouts };
    }),
  );
}
