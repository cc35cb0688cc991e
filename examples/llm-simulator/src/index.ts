export { startSimulator, type Simulator, type SimulatorOptions } from "./server.ts";
export { Ledger, type LedgerEntry } from "./ledger.ts";
export { DEFAULT_LATENCY, responseTiming, type LatencyModel } from "./latency.ts";
export type { Fault, FaultMatch } from "./faults.ts";
export { CHARS_PER_TOKEN, countTokens, promptText, type ChatMessage } from "./tokenizer.ts";
export type { PromptCacheOptions } from "./prompt-cache.ts";
