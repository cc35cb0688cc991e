// One contender of the peer benchmark, in its own process: `node contender-process.ts <index> <port>`.
// Starts the contender's telemetry, then the openai client, checks the spans of a few requests,
// then runs the batches its parent asks for over IPC and answers with CPU and wall time.
import { chatCompletion, openaiClient, timed } from "./client.ts";
import { CONTENDERS } from "./contenders.ts";
import type { Batch, ChildMessage } from "./protocol.ts";
import { droppingExporter, SpanVerifier } from "./verifier.ts";

const contender = CONTENDERS[Number(process.argv[2])]!;
const port = Number(process.argv[3]);

const verifier = new SpanVerifier();
await contender.setUp(droppingExporter, verifier);
const client = openaiClient(`http://127.0.0.1:${port}/v1`);

const send = (message: ChildMessage) => process.send!(message);
const checks = {
  json: await verifier.verify("json", () => chatCompletion(client, "json")),
  stream: await verifier.verify("stream", () => chatCompletion(client, "stream")),
};
send({ kind: "ready", checks });
process.on("message", (message: Batch | { kind: "exit" }) => {
  if (message.kind === "exit") {
    send({ kind: "rss", maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect();
    return;
  }
  timed(message.count, () => chatCompletion(client, message.mode)).then(
    (result) => send({ kind: "result", ...result }),
    (error: Error) => send({ kind: "error", message: error.message }),
  );
});
