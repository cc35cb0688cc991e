// Splits a recorded AWS event-stream body into its frames (each starts with its total length,
// big-endian), so a replay server can send them one by one.
export function eventStreamFrames(body: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < body.byteLength; ) {
    const length = body.readUInt32BE(at);
    frames.push(body.subarray(at, at + length));
    at += length;
  }
  return frames;
}
