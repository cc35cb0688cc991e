// A small instrumented "agent" run as a child process by the stack tests:
//   node --expose-gc --import @jotty/otel/register deploy/test/app/agent.mjs
// Driven over IPC: {cmd:"run"} one agent run (nested segments, a step, two llm_call spans),
// {cmd:"load", on} agent runs back to back, {cmd:"stats"}, {cmd:"exit"} (flushes, then exits).
import { getExportStats, llmCall, profile, setPriceOverrides, shutdown } from "@jotty/otel";

const model = process.env.E2E_MODEL ?? "jotty-e2e-model";
// Fixed prices so the test knows the cost: 1200 in + 300 out tokens = 1.2 + 0.6 = 1.8 USD.
setPriceOverrides({ [`openai/${model}`]: { inputPerMTok: 1000, outputPerMTok: 2000 } });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let errors = 0;
process.on("unhandledRejection", () => errors++);
process.on("uncaughtException", () => errors++);

function chat() {
  return llmCall({ provider: "openai", model, serverAddress: "127.0.0.1", serverPort: 1 }, async (call) => {
    await sleep(2);
    call.setUsage({ inputTokens: 1200, outputTokens: 300 });
    call.setResponse({ model, id: "chatcmpl-e2e", finishReasons: ["stop"] });
    return "ok";
  });
}

function agentRun(label) {
  return profile(
    "agent_run",
    async (span) => {
      await profile("plan", () => chat());
      await profile(
        "research",
        async () => {
          await profile("search_docs", () => sleep(1));
          await chat();
        },
        { "jotty.step.name": "research", "jotty.step.index": 1 },
      );
      return span.spanContext().traceId;
    },
    { "e2e.label": label },
  );
}

let loading = false;
let runsDone = 0;
/** The running load loop; turning the load off waits for its run in progress to end. */
let loop = Promise.resolve();
async function loadLoop() {
  while (loading) {
    await agentRun("load");
    runsDone++;
  }
}
async function stopLoad() {
  loading = false;
  await loop.catch(() => {}); // a failed run was already counted in errors, as an unhandled rejection
}

function stats() {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { type: "stats", stats: getExportStats(), heapUsed, rss, errors, runsDone };
}

process.on("message", async (message) => {
  switch (message.cmd) {
    case "run":
      process.send({ type: "ran", traceId: await agentRun(message.label ?? "run") });
      break;
    case "load":
      if (message.on && !loading) {
        loading = true;
        loop = loadLoop();
      } else if (!message.on) {
        await stopLoad();
      }
      process.send({ type: "load", on: loading });
      break;
    case "stats":
      process.send(stats());
      break;
    case "exit":
      // A run still in progress would end its spans after shutdown(), and they would be dropped.
      await stopLoad();
      await shutdown();
      process.send(stats(), () => process.disconnect());
      break;
  }
});
process.send({ type: "ready" });
