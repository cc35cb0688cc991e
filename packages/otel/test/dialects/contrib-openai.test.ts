// opentelemetry-js-contrib's @opentelemetry/instrumentation-openai on the real `openai` client.
import * as openai from "openai";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { afterAll, beforeAll, describe } from "vitest";
import { openAiPeerSuite, registered } from "./openai-peer-suite.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
// It has no manual entry point and only hooks require(): apply its module patch to the ESM
// exports directly (its declared range, <7, does not include the pinned openai 7; the patch
// wraps the same Chat.Completions.create).
let instrumentation: OpenAIInstrumentation;
beforeAll(() => {
  instrumentation = registered(new OpenAIInstrumentation());
  for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.({ OpenAI: openai.OpenAI }, "7");
});
afterAll(() => instrumentation.disable());

describe("@opentelemetry/instrumentation-openai", () => {
  openAiPeerSuite(env, { spanName: "chat gpt-4.1-nano", model: "gpt-4.1-nano", streamUsage: true });
});
