// The seed's profiling example, on @jotty/otel: segments are OpenTelemetry spans, so the same
// code shows up in Jaeger, and printReport() computes its report with the analyzer's engine.
//   node examples/profiling/src/main.ts [--time-scale 0.05]
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { PerformanceProfiler, profile, profileFunction, profiler as segments, toolCall } from "@jotty/otel";
import { startSimulator } from "@jotty/llm-simulator";
import OpenAI from "openai";

const { values } = parseArgs({ options: { "time-scale": { type: "string", default: "0.05" } } });
const timeScale = Number(values["time-scale"]);

// Collects every span that ends from now on (and starts the SDK if nothing else did).
const profiler = new PerformanceProfiler();

const simulator = await startSimulator({ timeScale });
const client = new OpenAI({ apiKey: "sk-simulated", baseURL: simulator.url });

// profileFunction wraps a function: every call is a segment named after it.
const tokenize = profileFunction("tokenize")((text: string) => text.split(/\s+/).filter(Boolean));

function parseDocuments(docs: string[]): string[][] {
  // a disposable segment for a synchronous scope
  using _ = segments.segment("parse_documents", { "docs.count": docs.length });
  return docs.map((doc) => tokenize(doc));
}

const fingerprint = profileFunction()(function fingerprint(words: string[][]): string {
  const hash = createHash("sha256");
  for (let round = 0; round < 500; round++) hash.update(words.flat().join(" ") + round);
  return hash.digest("hex").slice(0, 12);
});

async function ask(question: string, context: string): Promise<string> {
  // the fetch capture turns this call into an llm_call span with tokens and cost
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    max_tokens: 300,
    messages: [
      { role: "system", content: `Context:\n${context}` },
      { role: "user", content: question },
    ],
  });
  return completion.choices[0]?.message.content ?? "";
}

await profile("agent_run", async () => {
  const docs = await profile("load_context", async () => {
    // two sources fetched in parallel: each segment gets the right parent
    const [a, b] = await Promise.all([
      toolCall("fetch_source", () => sleep(400 * timeScale).then(() => "alpha beta gamma ".repeat(200)), { source: "a" }),
      toolCall("fetch_source", () => sleep(600 * timeScale).then(() => "delta epsilon ".repeat(300)), { source: "b" }),
    ]);
    return [a, b];
  });
  const words = parseDocuments(docs);
  const id = fingerprint(words);
  const plan = await profile("plan", () => ask(`Plan an answer (${id}).`, docs.join("\n")));
  await profile("answer", () => ask("Answer using the plan.", `${docs.join("\n")}\n${plan}`));
});

await simulator.close();
profiler.printReport();
