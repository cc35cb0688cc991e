// AWS event-stream bodies for the replay server: a recorded body split into its frames (each
// starts with its total length, big-endian), or frames made with the AWS SDK's own codec.
import { EventStreamCodec } from "@smithy/core/event-streams";

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One `:message-type: event` frame, as Bedrock sends them. */
export function eventFrame(eventType: string, payload: unknown): Buffer {
  return Buffer.from(
    codec.encode({
      headers: {
        ":event-type": { type: "string", value: eventType },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
}

/** `bytes` cut into pieces of `size` bytes, whatever the frame boundaries. */
export function slices(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}
export function eventStreamFrames(body: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < body.byteLength; ) {
    const length = body.readUInt32BE(at);
    frames.push(body.subarray(at, at + length));
    at += length;
  }
  return frames;
}
