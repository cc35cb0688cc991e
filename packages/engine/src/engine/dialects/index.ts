// Reads a span in whichever dialect it is written. Dialect-specific markers come first (an AI
// SDK doGenerate span also carries gen_ai.system; an OpenInference LLM span may carry gen_ai.*),
// the GenAI conventions last. A span no reader knows is "other".

import type { Span } from "../../model.js";
import { readGenAi } from "./gen-ai.js";
import { readLangfuse } from "./langfuse.js";
import { readMastra } from "./mastra.js";
import { readOpenInference } from "./openinference.js";
import { Role, type DialectReader, type Reading } from "./reading.js";
import { readTraceloop } from "./traceloop.js";
import { readVercelAi } from "./vercel-ai.js";

const READERS: readonly (readonly [string, DialectReader])[] = [
  ["ai-sdk", readVercelAi],
  ["openinference", readOpenInference],
  ["langfuse", readLangfuse],
  ["traceloop", readTraceloop],
  ["mastra", readMastra],
  ["gen-ai", readGenAi],
];
const OTHER: Reading = { role: Role.Other };

export function readSpan(span: Span): Reading {
  for (const [dialect, read] of READERS) {
    const reading = read(span);
    if (reading !== undefined) return { ...reading, dialect };
  }
  return OTHER;
}

export { Frame, Role, TOKEN_USAGE, Usage, type LlmInfo } from "./reading.js";
