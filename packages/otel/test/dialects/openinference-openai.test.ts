// Arize's @arizeai/openinference-instrumentation-openai on the real `openai` client.
import * as openai from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { afterAll, beforeAll, describe } from "vitest";
import { openAiPeerSuite, registered } from "./openai-peer-suite.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
let instrumentation: OpenAIInstrumentation;
beforeAll(() => {
  instrumentation = registered(new OpenAIInstrumentation());
  instrumentation.manuallyInstrument(openai as never);
});
afterAll(() => instrumentation.disable());

describe("@arizeai/openinference-instrumentation-openai", () => {
  // OpenInference records llm.model_name from the response (the by-model key is the requested
  // model of llm.invocation_parameters, as ours names it), and, like OpenLLMetry, no usage of a
  // stream even when the app asked for it.
  openAiPeerSuite(env, { spanName: "OpenAI Chat Completions", model: "gpt-4.1-nano", streamUsage: false });
});
