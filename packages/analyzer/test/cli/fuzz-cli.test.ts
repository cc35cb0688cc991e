// Fuzz the whole jotty-analyze process with adversarial trace files, under a small heap: the exit
// code is 0 (a report) or 1 (one line naming the problem), never a crash, a stack trace or an
// out-of-memory abort. Fixed seed; FUZZ_CLI_RUNS=200 for a longer run (docs/analyzer-inputs.md, "Checks").
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FUZZ_SEED, fuzzTimeout, traceFileText } from "../sources/adversarial-traces.js";
import { tempDir } from "../sources/helpers.js";
import { runCli } from "./run-cli.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const CI_RUNS = 12;
const RUNS = Number(process.env.FUZZ_CLI_RUNS ?? CI_RUNS);
const TIMEOUT = fuzzTimeout(CI_RUNS, RUNS);
// Far below what a few MB of input could need if read whole several times over.
const HEAP = "--max-old-space-size=96";

describe("fuzz: jotty-analyze on adversarial files", () => {
  it(
    "exits 0 with a report or 1 with one line; never a stack trace; bounded heap",
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(traceFileText, fc.constantFrom("table", "json", "markdown"), fc.boolean(), async (text, format, windowed) => {
          const path = tmp.write(`cli-fuzz-${n++}.json`, text);
          const window = windowed ? ["--since", "2025-11-25T19:00:00Z", "--until", "2025-11-26T00:00:00Z", "--service", "svc"] : [];
          const run = await runCli(["--file", path, "--format", format, ...window], {}, [HEAP]);
          expect(run.stderr).not.toMatch(/\n\s+at |Error: /);
          if (run.code === 0) {
            expect(run.stderr).toBe("");
            if (format === "json") expect(JSON.parse(run.stdout).schemaVersion).toBe(1);
          } else {
            expect(run.code).toBe(1);
            expect(run.stdout).toBe("");
            expect(run.stderr).toMatch(/^jotty-analyze: [^\n]+\n$/);
          }
        }),
        { numRuns: RUNS, seed: FUZZ_SEED },
      );
    },
    TIMEOUT,
  );

  it(
    "random --since/--until values: exit 0 with a report or 2 with one usage line",
    async () => {
      const empty = tmp.write("empty.jsonl", "");
      const when = fc.oneof(
        fc.tuple(fc.stringMatching(/^\d{1,16}(\.\d{1,3})?$/), fc.constantFrom("ms", "s", "m", "h", "d", "w")).map(([n, unit]) => `${n}${unit}`),
        fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom("now", "", "-1h", "1e9d", "0s", "+275760-09-13T00:00:00Z"),
        fc.string({ maxLength: 12 }),
      );
      await fc.assert(
        fc.asyncProperty(when, when, async (since, until) => {
          const run = await runCli(["--file", empty, "--since", since, "--until", until], {}, [HEAP]);
          expect(run.stderr).not.toMatch(/\n\s+at |Error: /);
          if (run.code === 0) expect(run.stdout).toMatch(/^No traces in /);
          else {
            expect(run.code).toBe(2);
            expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
          }
        }),
        { numRuns: RUNS, seed: FUZZ_SEED },
      );
    },
    TIMEOUT,
  );
});
