// A real process (built dist/): the price catalog and the AWS event-stream codec, the largest
// things @jotty/otel would hold, are loaded only when first needed (a price, a Bedrock stream).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dist = (path: string) => JSON.stringify(fileURLToPath(new URL(`../../dist/${path}`, import.meta.url)));

it("importing @jotty/otel loads neither; the first price loads the catalog, the codec still waits", () => {
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({
      load(url, context, next) {
        if (/@pydantic[+/]genai-prices/.test(url)) seen.add("catalog");
        if (/@smithy[+/]core.*event-streams/.test(url)) seen.add("codec");
        return next(url, context);
      },
    });
    const { start, shutdown } = await import(${dist("index.js")});
    const { priceUsage } = await import(${dist("llm/pricing.js")});
    start({ metricReaders: [], traceExporter: { export: (s, done) => done({ code: 0 }), shutdown: async () => {} } });
    const before = [...seen];
    const cost = priceUsage("openai", "gpt-4.1-nano", { inputTokens: 1000, outputTokens: 100 });
    console.log(JSON.stringify({ before, cost, after: [...seen] }));
    await shutdown();
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, OTEL_TRACES_EXPORTER: "none" },
  });
  expect(run.stderr).toBe("");
  const result = JSON.parse(run.stdout.trim()) as { before: string[]; cost: number; after: string[] };
  expect(result.before).toEqual([]);
  expect(result.cost).toBeGreaterThan(0);
  expect(result.after).toEqual(["catalog"]);
});
