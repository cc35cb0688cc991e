// The zero-code path over node:http: a real Node process started with --import
// @jotty/otel/register (the built dist/: pnpm test builds first) calls a replayed OpenAI API with
// axios's http adapter; its traces file holds the llm_call with exact usage, and no key.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fixtureBytes } from "../helpers/fixtures.js";
import { jsonHandler, startReplayServer, type ReplayServer } from "../helpers/replay-server.js";

const CANARY = "sk-CANARY-node-http-5e6f7a8b";
const app = fileURLToPath(new URL("./fixtures/axios-app.mjs", import.meta.url));
let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  server = await startReplayServer();
  dir = mkdtempSync(join(tmpdir(), "jotty-node-http-"));
  server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpSpan = { name: string; attributes: Array<{ key: string; value: OtlpValue }> };

it("node --import @jotty/otel/register: axios over node:http gets its llm_call, with no code changes", async () => {
  const file = join(dir, "traces.jsonl");
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", app], {
    cwd: fileURLToPath(new URL("../../../", import.meta.url)),
    env: { ...process.env, NODE_OPTIONS: "", OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", JOTTY_TRACES_FILE: file, LLM_BASE_URL: `${server.baseUrl}/v1`, CANARY_KEY: CANARY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect({ code, stderr, stdout }).toEqual({ code: 0, stderr: "", stdout: "json chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU\n" });

  const text = readFileSync(file, "utf8");
  expect(text).not.toContain(CANARY);
  const llm = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => (JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
    .filter((span) => span.name === "llm_call");
  expect(llm).toHaveLength(1);
  const attributes = Object.fromEntries(llm[0]!.attributes.map(({ key, value }) => [key, value.intValue !== undefined ? Number(value.intValue) : (value.stringValue ?? value.boolValue ?? value.doubleValue)]));
  expect(attributes).toMatchObject({
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4.1-nano",
    "gen_ai.response.model": "gpt-4.1-nano-2025-04-14",
    "gen_ai.usage.input_tokens": 16,
    "gen_ai.usage.output_tokens": 363,
  });
});
