// A FilePart in a worker thread (file-part-worker.ts), with the Part calls as messages.
import { Worker } from "node:worker_threads";
import { PartsNotMergeable, type HeldTrace } from "@jotty/engine/engine";
import { SourceError } from "./errors.js";
import type { Part } from "./file-parts.js";
import type { PartRead, PartResult, PartSpec } from "./file-part.js";

// Run from the TypeScript sources (the unit tests), the worker is the built one: Node runs
// dist/, whose imports resolve without the test runner's aliases.
const here = import.meta.url;
const WORKER = here.endsWith(".ts")
  ? new URL(here.replace("/src/", "/dist/").replace(/worker-part\.ts$/, "file-part-worker.js"))
  : new URL("./file-part-worker.js", here);

export class WorkerPart implements Part {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private next = 0;
  private failure: Error | undefined;

  constructor(spec: PartSpec) {
    this.worker = new Worker(WORKER, { workerData: spec });
    this.worker.on("message", (reply: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
      const call = this.waiting.get(reply.id);
      if (call === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.error === undefined) call.resolve(reply.result);
      else call.reject(rebuild(reply.error));
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`file part worker exited (code ${code})`)));
  }

  read = () => this.call<PartRead>("read");
  seen = (traceIds: string[], afterHead: boolean) => this.call<string[]>("seen", traceIds, afterHead);
  take = (traceIds: string[]) => this.call<HeldTrace[]>("take", traceIds);
  add = (traces: HeldTrace[]) => this.call<void>("add", traces);
  finish = () => this.call<PartResult>("finish");

  async close(): Promise<void> {
    this.failure ??= new Error("file part worker closed");
    await this.worker.terminate();
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const call of this.waiting.values()) call.reject(error);
    this.waiting.clear();
  }
}

function rebuild(error: { name: string; message: string }): Error {
  if (error.name === "SourceError") return new SourceError(error.message);
  if (error.name === "PartsNotMergeable") return new PartsNotMergeable(error.message);
  return new Error(error.message);
}
