// Writes a Bedrock ConverseStream body (application/vnd.amazon.eventstream) from a `*.chunks.txt`
// of recorded or documented events, one `{"<eventType>": payload}` object per line, framed with
// the AWS SDK's own codec exactly as Bedrock frames them (:event-type, :content-type, :message-type).
//   node scripts/encode-bedrock-eventstream.ts fixtures/llm/bedrock/bedrock-text.chunks.txt
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

// @smithy/core is a dependency of @jotty/otel, so it is found from there.
const require = createRequire(new URL("../packages/otel/package.json", import.meta.url));
interface Codec {
  encode(message: { headers: Record<string, { type: "string"; value: string }>; body: Uint8Array }): Uint8Array;
}
type CodecClass = new (toUtf8: (bytes: Uint8Array) => string, fromUtf8: (text: string) => Uint8Array) => Codec;
const { EventStreamCodec } = require("@smithy/core/event-streams") as { EventStreamCodec: CodecClass };

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);
const input = process.argv[2];
if (input === undefined || !input.endsWith(".chunks.txt")) {
  console.error("usage: node scripts/encode-bedrock-eventstream.ts <name>.chunks.txt");
  process.exit(2);
}
const frames = readFileSync(input, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => {
    const event = Object.entries(JSON.parse(line) as Record<string, unknown>)[0];
    if (event === undefined) throw new Error(`not an event: ${line}`);
    const [eventType, payload] = event;
    return codec.encode({
      headers: {
        ":event-type": { type: "string", value: eventType },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: new TextEncoder().encode(JSON.stringify(payload)),
    });
  });
const output = input.replace(/\.chunks\.txt$/, ".eventstream");
writeFileSync(output, Buffer.concat(frames));
console.log(`${output}: ${frames.length} frames`);
