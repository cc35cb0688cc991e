// Fuzz: random and adversarial trace files (adversarial-traces.ts) through the file source, the
// engine and every renderer, in process. Nothing escapes the error path: a file either reads
// (bad parts become warnings) or fails with one SourceError line, and every report renders.
// Fixed seed; a longer run: FUZZ_RUNS=3000 pnpm exec vitest run packages/analyzer/test/sources/fuzz.test.ts
// (docs/analyzer-inputs.md, "Checks").
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport } from "@jotty/engine/engine";
import type { Span } from "@jotty/engine";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderTable } from "../../src/render/table.js";
import { SourceError } from "../../src/sources/errors.js";
import { readTraceFileInWindow } from "../../src/sources/file-window.js";
import { readJaeger } from "../../src/sources/jaeger.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { FUZZ_SEED, fuzzRuns, fuzzTimeout, sometimes, traceFileText } from "./adversarial-traces.js";
import { startFakeJaeger } from "./fake-jaeger.js";
import { readFile, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

/** Reads `text` as a file: the spans, or the one-line SourceError it failed with. */
async function readText(text: string, maxLineBytes?: number): Promise<Span[]> {
  const path = tmp.write(`fuzz-${n++}.json`, text);
  try {
    const { spans, warnings } = await readFile(path, { maxLineBytes });
    for (const w of warnings) expect(w).not.toContain("\n");
    return spans;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).not.toContain("\n");
    return [];
  }
}

// A control byte the table renderer did not put there itself: everything but \n (line breaks).
const CONTROL_BYTE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("fuzz: adversarial trace files", () => {
  it(
    "read, or fail with one SourceError line; every span is usable; the report builds and renders",
    async () => {
      let reports = 0; // with spans: the generator is not degenerate
      await fc.assert(
        fc.asyncProperty(traceFileText, sometimes(fc.integer({ min: 64, max: 4096 })), async (text, maxLineBytes) => {
          const spans = await readText(text, maxLineBytes ?? undefined);
          for (const s of spans) {
            expect(typeof s.traceId === "string" && s.traceId !== "").toBe(true);
            expect(typeof s.spanId === "string" && s.spanId !== "").toBe(true);
            expect(Number.isFinite(s.startNs) && Number.isFinite(s.endNs) && s.startNs > 0 && s.endNs > 0).toBe(true);
          }
          const report = buildReport(spans, { source: { kind: "file", location: "fuzz" } });
          expect(report.spans).toBeLessThanOrEqual(spans.length);
          if (report.spans > 0) reports++;
          expect(JSON.parse(renderJson(report)).schemaVersion).toBe(1);
          expect(typeof renderMarkdown(report)).toBe("string");
          expect(typeof renderTable(report, { color: false, width: 80 })).toBe("string");
        }),
        { numRuns: fuzzRuns(150), seed: FUZZ_SEED },
      );
      expect(reports).toBeGreaterThan(fuzzRuns(150) / 4);
    },
    fuzzTimeout(150),
  );

  it(
    "read for a window and a service the same way (two passes)",
    async () => {
      await fc.assert(
        fc.asyncProperty(traceFileText, async (text) => {
          const path = tmp.write(`fuzz-window-${n++}.json`, text);
          const window = { start: new Date("2025-11-25T20:00:00Z"), end: new Date("2025-11-25T21:00:00Z") };
          try {
            await readTraceFileInWindow(path, window, () => {}, new WarningLog(), "svc");
          } catch (error) {
            expect(error).toBeInstanceOf(SourceError);
            expect((error as Error).message).not.toContain("\n");
          }
        }),
        { numRuns: fuzzRuns(60), seed: FUZZ_SEED + 1 },
      );
    },
    fuzzTimeout(60),
  );

  it(
    "served as Jaeger /api/v3 pages (any status): read, or one SourceError line",
    async () => {
      let page = { status: 200, text: "" };
      const jaeger = await startFakeJaeger((_url, res) => {
        res.writeHead(page.status, { "content-type": "application/json" }).end(page.text);
        return true;
      });
      try {
        await fc.assert(
          fc.asyncProperty(traceFileText, fc.constantFrom(200, 200, 200, 404, 500), async (text, status) => {
            page = { status, text };
            const window = { start: new Date("2025-11-25T20:00:00Z"), end: new Date("2025-11-25T21:00:00Z") };
            try {
              await readJaeger({ url: jaeger.url, service: "svc", ...window }, () => {}, new WarningLog());
            } catch (error) {
              expect(error).toBeInstanceOf(SourceError);
              expect((error as Error).message).not.toContain("\n");
            }
          }),
          { numRuns: fuzzRuns(60), seed: FUZZ_SEED + 3 },
        );
      } finally {
        await jaeger.close();
      }
    },
    fuzzTimeout(60),
  );

  it(
    "table output holds no control byte from names, models or warnings",
    async () => {
      await fc.assert(
        fc.asyncProperty(traceFileText, async (text) => {
          const report = buildReport(await readText(text), { source: { kind: "file", location: "fuzz" } });
          expect(renderTable(report, { color: false, width: 80 })).not.toMatch(CONTROL_BYTE);
        }),
        { numRuns: fuzzRuns(150), seed: FUZZ_SEED + 2 },
      );
    },
    fuzzTimeout(150),
  );
});
