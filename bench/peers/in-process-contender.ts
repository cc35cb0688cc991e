// One LLM contender without the network: `node in-process-contender.ts <index> <requests> <streams> <rounds>`.
// globalThis.fetch answers the recorded responses after one turn of the event loop, as a network
// answer comes (a Response over the bytes, one chunk), so the process runs only the openai client
// and the instrumentation. (Answered within the same turn, a whole batch would run in one task:
// nothing scheduled for later, such as timers or finalizers, would run until the batch ends.)
// Each round runs a batch with the contender's LLM instrumentation on and one with it off, back
// to back (order alternating): the difference is the instrumentation's own CPU, free of the load
// drift between processes.
// Prints one JSON line.
import { jsonAnswer, streamAnswer } from "./answers.ts";
import { chatCompletion, openaiClient, timed } from "./client.ts";
import { CONTENDERS } from "./contenders.ts";
import type { Mode } from "./protocol.ts";
import { droppingExporter, SpanVerifier } from "./verifier.ts";

const [index, requests, streams, rounds] = process.argv.slice(2).map(Number) as [number, number, number, number];
const contender = CONTENDERS[index]!;
const json = jsonAnswer();
const stream = Buffer.concat(streamAnswer());
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
globalThis.fetch = async (_input, init) => {
  await nextTurn();
  return String(init?.body).includes('"stream":true')
    ? new Response(stream, { headers: { "content-type": "text/event-stream" } })
    : new Response(json, { headers: { "content-type": "application/json" } });
};

const verifier = new SpanVerifier();
const llmSwitch = await contender.setUp(droppingExporter, verifier);
if (llmSwitch === undefined) throw new Error(`${contender.name} has no LLM instrumentation to switch`);
const BASE_URL = "http://127.0.0.1:9/v1";
const onClient = openaiClient(BASE_URL);
const checks = {
  json: await verifier.verify("json", () => chatCompletion(onClient, "json")),
  stream: await verifier.verify("stream", () => chatCompletion(onClient, "stream")),
};

const counts: Record<Mode, number> = { json: requests, stream: streams };
async function batch(on: boolean, mode: Mode): Promise<number> {
  llmSwitch!(on);
  const client = openaiClient(BASE_URL); // after the switch: the client takes fetch as it is now
  return (await timed(counts[mode], () => chatCompletion(client, mode))).cpuUs;
}
const result: Record<Mode, { off: number[]; added: number[] }> = { json: { off: [], added: [] }, stream: { off: [], added: [] } };
for (const mode of ["json", "stream"] as const) {
  await batch(true, mode);
  await batch(false, mode);
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0;
    const a = await batch(first, mode);
    const b = await batch(!first, mode);
    const [on, off] = first ? [a, b] : [b, a];
    result[mode].off.push(off);
    result[mode].added.push(on - off);
  }
}
process.stdout.write(JSON.stringify({ checks, result }) + "\n");
process.exit(0);
