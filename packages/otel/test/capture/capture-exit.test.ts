// At exit — the process ends by itself, calls process.exit(), or gets SIGTERM — every llm_call
// still open ends with what it has, marked jotty.llm.unfinished, and reaches the traces file.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readSpansFile } from "@jotty/test-kit/spans-file";

const app = fileURLToPath(new URL("./fixtures/exit-app.mjs", import.meta.url));
const chunks = fileURLToPath(new URL("../../../../fixtures/llm/anthropic/anthropic-text.chunks.txt", import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jotty-exit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(mode: string, file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", app, chunks, mode], {
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    env: { ...process.env, NODE_OPTIONS: "", OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", JOTTY_TRACES_FILE: file },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

it.each([
  ["exit", { code: 0, signal: null }],
  ["signal", { code: null, signal: "SIGTERM" }],
])("%s mid-stream: the call ends with what was read, unfinished, and is written", async (mode, ending) => {
  const file = join(dir, `${mode}.jsonl`);
  const { code, signal, stderr } = await run(mode, file);
  expect({ code, signal }, stderr).toEqual(ending);
  const llm = readSpansFile(file).filter((s) => s.name === "llm_call");
  const captured = llm.find((s) => s.attributes["gen_ai.provider.name"] === "anthropic");
  expect(captured?.attributes).toMatchObject({
    "jotty.llm.unfinished": true,
    "gen_ai.response.id": "msg_01QC4g3HwBThD4BaNtBckFDJ",
    "gen_ai.response.model": "claude-sonnet-4-5-20250929",
  });
  expect(captured?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  // The app's own llmCall() that never settled ends too.
  const explicit = llm.find((s) => s.attributes["gen_ai.request.model"] === "never-settles");
  expect(explicit?.attributes["jotty.llm.unfinished"]).toBe(true);
});

it("normal end with a body never read: the call ends unfinished and is written", async () => {
  const file = join(dir, "end.jsonl");
  const { code, stderr } = await run("end", file);
  expect(code, stderr).toBe(0);
  const llm = readSpansFile(file).filter((s) => s.name === "llm_call");
  expect(llm).toHaveLength(1);
  expect(llm[0]!.attributes).toMatchObject({ "jotty.llm.unfinished": true, "jotty.llm.usage_missing": true, "gen_ai.request.model": "claude-sonnet-4-5" });
});
