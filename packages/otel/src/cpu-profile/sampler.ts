// One continuous V8 sampling profile, read in chunks without ever stopping the sampler.
//
// Why chunks through console.profile: a profile's samples are only handed out when it stops,
// and starting V8's CPU profiler from cold costs 10-70 ms on Node 24 (it re-logs every compiled
// function), so stop/restart per segment is out. V8 skips that cost when another profile of the
// same profiler is still running, so we roll: start chunk N+1, then end chunk N. Measured on
// Node 24.21: ~0.1 ms per roll, delivered synchronously (the in-process inspector session
// dispatches `Profiler.consoleProfileFinished` before profileEnd returns). The chunks share
// one sampler thread and one clock, so together they are one profile.
//
// `inspector.console` is V8's own console, not `globalThis.console`, so test runners or apps
// that patch console methods cannot swallow the calls.
import type { CpuProfile } from "./types.js";

let instances = 0;

// Taken when a profiler is made, not imported: node:inspector brings Node's worker modules with it.
const inspector = () => process.getBuiltinModule("node:inspector");

export class ChunkedSampler {
  readonly #session = new (inspector().Session)();
  // console.profile reaches every inspector session with the Profiler enabled: a title of our own
  // tells our chunks apart.
  readonly #title = `jotty-cpu-profile-${process.pid}-${instances++}-`;
  #chunk = 0;
  #running = false;
  #finished: CpuProfile | undefined;
  #expected = "";

  constructor(samplingIntervalUs: number) {
    // Node's own --cpu-prof session would receive every chunk too, and prints each one to stderr
    // as a response it cannot match.
    if ([...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) => a.startsWith("--cpu-prof"))) {
      throw new Error("node runs with --cpu-prof, which already writes a CPU profile");
    }
    this.#session.connect();
    this.#session.post("Profiler.enable");
    this.#session.post("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    this.#session.on("Profiler.consoleProfileFinished", (message) => {
      if (message.params.title === this.#expected) this.#finished = message.params.profile as CpuProfile;
    });
  }

  start(): void {
    if (this.#running) return;
    inspector().console.profile(this.#title + this.#chunk);
    this.#running = true;
  }

  /** Ends the running chunk and returns its samples; the next chunk is already sampling. */
  read(): CpuProfile | undefined {
    if (!this.#running) return undefined;
    const previous = this.#chunk++;
    inspector().console.profile(this.#title + this.#chunk);
    return this.#end(previous);
  }

  /** Ends sampling and returns the last chunk. */
  stop(): CpuProfile | undefined {
    if (!this.#running) return undefined;
    this.#running = false;
    const last = this.#end(this.#chunk);
    this.#session.post("Profiler.disable");
    this.#session.disconnect();
    return last;
  }

  #end(chunk: number): CpuProfile | undefined {
    this.#finished = undefined;
    this.#expected = this.#title + chunk;
    inspector().console.profileEnd(this.#title + chunk);
    const profile = this.#finished;
    this.#finished = undefined;
    return profile;
  }
}
