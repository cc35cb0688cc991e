// The zero-code path end to end: a real Node process started with --import @jotty/otel/register
// (the built dist/: pnpm test builds first) calls a replayed OpenAI API through the openai client
// (fetch) or axios (node:http); its traces file holds the llm_call spans with exact usage.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fixtureBytes, fixtureEvents, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";

const CANARY = "sk-CANARY-zero-code-1c2d3e4f";
const appFile = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  server = await startReplayServer();
  dir = mkdtempSync(join(tmpdir(), "jotty-capture-"));
  const json = jsonHandler(fixtureBytes("openai-chat/openai-text.json"));
  const sse = sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai"));
  server.handle((req, res, body) => ((JSON.parse(body) as { stream?: boolean }).stream ? sse(req, res, body) : json(req, res, body)));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number } }>;
}

function attr(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((a) => a.key === key)?.value;
  if (value === undefined) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue;
}

/** Runs `app` under --import @jotty/otel/register; its spans from the traces file (checked free of the key). */
async function runRegistered(app: string): Promise<{ code: number | null; stdout: string; stderr: string; spans: OtlpSpan[] }> {
  const file = join(dir, `${app}.traces.jsonl`);
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", appFile(app)], {
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_METRICS_EXPORTER: "none",
      JOTTY_TRACES_FILE: file,
      LLM_BASE_URL: `${server.baseUrl}/v1`,
      CANARY_KEY: CANARY,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  expect(text).not.toContain(CANARY);
  const spans = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => (JSON.parse(l) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  return { code, stdout, stderr, spans };
}

it("node --import @jotty/otel/register: llm_call spans with usage, no code changes, no key in the file", async () => {
  const { code, stdout, stderr, spans } = await runRegistered("zero-code-app.mjs");
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(stdout).toBe(`json chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU\nstream ${fixtureEvents("openai-chat/openai-text.chunks.txt").length}\n`);
  const llm = spans.filter((s) => s.name === "llm_call");
  expect(llm).toHaveLength(2);
  const [json, stream] = [llm.find((s) => attr(s, "gen_ai.request.stream") === false)!, llm.find((s) => attr(s, "gen_ai.request.stream") === true)!];
  expect(attr(json, "gen_ai.usage.input_tokens")).toBe(16);
  expect(attr(json, "gen_ai.usage.output_tokens")).toBe(363);
  expect(attr(stream, "gen_ai.usage.output_tokens")).toBe(300);
  expect(attr(stream, "gen_ai.response.time_to_first_chunk")).toBeGreaterThan(0);
  // Each request's undici HTTP span hangs under its llm_call.
  const llmIds = new Set(llm.map((s) => s.spanId));
  const http = spans.filter((s) => s.name === "POST");
  expect(http).toHaveLength(2);
  for (const span of http) expect(llmIds.has(span.parentSpanId ?? "")).toBe(true);
});

it("node --import @jotty/otel/register: axios over node:http gets its llm_call too", async () => {
  const { code, stdout, stderr, spans } = await runRegistered("axios-app.mjs");
  expect({ code, stderr, stdout }).toEqual({ code: 0, stderr: "", stdout: "json chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU\n" });
  const llm = spans.filter((s) => s.name === "llm_call");
  expect(llm).toHaveLength(1);
  expect(
    ["gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"].map((key) =>
      attr(llm[0]!, key),
    ),
  ).toEqual(["openai", "gpt-4.1-nano", "gpt-4.1-nano-2025-04-14", 16, 363]);
});
