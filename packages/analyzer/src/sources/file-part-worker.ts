// The worker thread behind a WorkerPart: one FilePart, driven by calls from the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { FilePart, type PartSpec } from "./file-part.js";

const part = new FilePart(workerData as PartSpec);
const port = parentPort!;

port.on("message", (call: { id: number; method: "read" | "seen" | "take" | "add" | "finish"; args: unknown[] }) => {
  const run = async () => (part[call.method] as (...args: unknown[]) => unknown)(...call.args);
  run().then(
    (result) => port.postMessage({ id: call.id, result }),
    (error: unknown) =>
      port.postMessage({
        id: call.id,
        error: { name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error) },
      }),
  );
});
