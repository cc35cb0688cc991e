// The LLM server for the peer benchmark, in its own process so its CPU is not billed to a
// contender: POST /v1/chat/completions answers the recorded JSON, or the recorded SSE stream when
// the request asks for one. Prints its port (chosen by the OS) on stdout; exits when its parent goes.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { jsonAnswer, streamAnswer } from "./answers.ts";

const json = jsonAnswer();
// One write per stream: the client then gets the same network chunks (≈64 KB + the rest) whatever
// the timing. Written event by event, how many events share a chunk would depend on how soon the
// client reads, and the openai client's SSE splitting costs grow with the chunk's size (it
// copies the rest of the chunk after each event), so that noise would swamp the capture's cost.
const stream = Buffer.concat(streamAnswer());

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const streaming = Buffer.concat(chunks).includes('"stream":true');
    if (!streaming) {
      res.writeHead(200, { "content-type": "application/json", "content-length": json.length });
      res.end(json);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(stream);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on("disconnect", () => server.close(() => process.exit(0)));
