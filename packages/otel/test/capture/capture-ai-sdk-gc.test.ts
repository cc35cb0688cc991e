// The Vercel AI SDK's streamText keeps only response.body: the Response object can be collected
// while its stream is still read. The llm_call must follow the stream, not the Response. A real
// Node process with --expose-gc forces full collections between the stream's events (the server
// sends each only after the app has read the previous one and collected), so this is deterministic.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readSpansFile, type FileSpan } from "@jotty/test-kit/spans-file";

const aiSdkApp = fileURLToPath(new URL("./fixtures/ai-sdk-gc-app.mjs", import.meta.url));
const unreachableApp = fileURLToPath(new URL("./fixtures/unreachable-body-app.mjs", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../../fixtures/llm/${name}`, import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jotty-ai-sdk-gc-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(app: string, chunks: string, file: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "@jotty/otel/register", app, chunks, ...args], {
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    env: { ...process.env, NODE_OPTIONS: "", OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", JOTTY_TRACES_FILE: file },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

it.each([
  { provider: "openai", fixture: "openai-chat/openai-text.chunks.txt", input: 16, output: 300, id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0", reason: "stop" },
  {
    provider: "openai-ai5",
    fixture: "openai-chat/openai-text.chunks.txt",
    input: 16,
    output: 300,
    id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0",
    reason: "stop",
  },
  // The final message_delta's usage (output 30), not message_start's (output 1).
  { provider: "anthropic", fixture: "anthropic/anthropic-text.chunks.txt", input: 12, output: 30, id: "msg_01QC4g3HwBThD4BaNtBckFDJ", reason: "end_turn" },
])("streamText ($provider) with forced GCs between events: the span ends with the stream, with its usage", async (c) => {
  const file = join(dir, `${c.provider}.jsonl`);
  const { code, stdout, stderr } = await run(aiSdkApp, fixture(c.fixture), file, c.provider);
  expect(code, stderr).toBe(0);
  const app = JSON.parse(stdout.trim().split("\n").at(-1)!) as { inputTokens: number; outputTokens: number };
  // What the AI SDK itself read from the stream.
  expect(app).toMatchObject({ inputTokens: c.input, outputTokens: c.output });
  const llm = readSpansFile(file).filter((s: FileSpan) => s.name === "llm_call");
  expect(llm).toHaveLength(1);
  const attributes = llm[0]!.attributes;
  expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
  expect(attributes["jotty.llm.unfinished"]).toBeUndefined();
  expect(attributes["gen_ai.usage.input_tokens"]).toBe(c.input);
  expect(attributes["gen_ai.usage.output_tokens"]).toBe(c.output);
  expect(attributes["gen_ai.response.id"]).toBe(c.id);
  expect(attributes["gen_ai.response.finish_reasons"]).toEqual([c.reason]);
  expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
});

it("a body that becomes unreachable half read: the span ends with what was read, marked unfinished", async () => {
  const file = join(dir, "unreachable.jsonl");
  const { code, stdout, stderr } = await run(unreachableApp, fixture("anthropic/anthropic-text.chunks.txt"), file);
  expect(code, stderr).toBe(0);
  expect(stdout).toMatch(/^read \d+/);
  const llm = readSpansFile(file).filter((s) => s.name === "llm_call");
  expect(llm).toHaveLength(1);
  const attributes = llm[0]!.attributes;
  expect(attributes["jotty.llm.unfinished"]).toBe(true);
  // What message_start said: the id and model; usage only once message_delta arrives.
  expect(attributes["gen_ai.response.id"]).toBe("msg_01QC4g3HwBThD4BaNtBckFDJ");
  expect(attributes["gen_ai.response.model"]).toBe("claude-sonnet-4-5-20250929");
  expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
});
