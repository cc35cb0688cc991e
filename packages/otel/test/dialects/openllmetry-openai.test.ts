// OpenLLMetry's @traceloop/instrumentation-openai on the real `openai` client.
import * as openai from "openai";
import { OpenAIInstrumentation } from "@traceloop/instrumentation-openai";
import { afterAll, beforeAll, describe } from "vitest";
import { openAiPeerSuite, registered } from "./openai-peer-suite.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
// ESM imports are not hooked by require-in-the-middle: patch the module as its README shows.
let instrumentation: OpenAIInstrumentation;
beforeAll(() => {
  instrumentation = registered(new OpenAIInstrumentation({ traceContent: false }));
  instrumentation.manuallyInstrument(openai.OpenAI as never);
});
afterAll(() => instrumentation.disable());

describe("@traceloop/instrumentation-openai", () => {
  openAiPeerSuite(env, { spanName: "chat gpt-4.1-nano", model: "gpt-4.1-nano", streamUsage: false });
});
