// Beside another SDK set-up in the same process (issue 23): `node --import @jotty/otel/register`
// with OpenLLMetry's initialize() or Langfuse's span processor on the app's own SDK, the real
// packages exporting over real HTTP. Each exporter gets its own receiver: ours (OTLP JSON), and
// the peer's (Traceloop's protobuf /v1/traces, Langfuse's JSON /api/public/otel/v1/traces).
// The recorded OpenAI answer is served by the replay server. Runs on the built dist/.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));
const ANSWER = fixtureBytes("openai-chat/openai-text.json");
const ANSWER_ID = (JSON.parse(ANSWER.toString("utf8")) as { id: string }).id;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runApp(app: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", app], {
    cwd: fixtures,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_METRICS_EXPORTER: "none",
      OTEL_LOGS_EXPORTER: "none",
      JOTTY_TRACES_FILE: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("register beside another SDK set-up: both pipelines receive the spans", () => {
  const closers: (() => Promise<void>)[] = [];
  let llm: ReplayServer;

  beforeAll(() => {
    if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  });

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function servers(): Promise<{ ours: OtlpReceiver; theirs: OtlpReceiver }> {
    llm = await startReplayServer();
    llm.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(ANSWER);
    });
    const ours = await startOtlpReceiver();
    const theirs = await startOtlpReceiver();
    closers.push(
      () => llm.close(),
      () => ours.close(),
      () => theirs.close(),
    );
    return { ours, theirs };
  }

  it("OpenLLMetry's initialize(): Traceloop's exporter gets its openai span, and so do we", async () => {
    const { ours, theirs } = await servers();
    const run = await runApp("openllmetry-app.mjs", {
      OTEL_EXPORTER_OTLP_ENDPOINT: ours.url,
      TRACELOOP_BASE_URL: theirs.url,
      LLM_URL: `${llm.baseUrl}/v1`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`answer ${ANSWER_ID}`);
    // Traceloop's own exporter: its protobuf requests, with its API key, carrying its instrumentation's span.
    expect(theirs.requests.every((r) => r.path === "/v1/traces" && r.contentType === "application/x-protobuf")).toBe(true);
    expect(theirs.requests[0]?.authorization).toBe("Bearer tl-test-key");
    const theirChat = theirs.spans.filter((s) => s.scope === "@traceloop/instrumentation-openai");
    expect(theirChat).toHaveLength(1);
    // Our pipeline: the same span, and our llm_call for the same request.
    expect(ours.spans.map((s) => s.spanId)).toContain(theirChat[0]!.spanId);
    expect(ours.spans.filter((s) => s.name === "llm_call")).toHaveLength(1);
  });

  for (const mode of ["node-sdk", "provider"] as const) {
    it(`Langfuse's span processor on the app's ${mode === "node-sdk" ? "NodeSDK" : "SDK 2 BasicTracerProvider"}: Langfuse's exporter gets the LLM span, and so do we`, async () => {
      const { ours, theirs } = await servers();
      const run = await runApp("langfuse-app.mjs", {
        APP_MODE: mode,
        OTEL_EXPORTER_OTLP_ENDPOINT: ours.url,
        LANGFUSE_BASE_URL: theirs.url,
        LLM_URL: `${llm.baseUrl}/v1`,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`answer ${ANSWER_ID}`);
      expect(theirs.requests.filter((r) => r.path === "/api/public/otel/v1/traces").length).toBeGreaterThan(0);
      expect(theirs.requests[0]?.authorization).toBe(`Basic ${Buffer.from("pk-lf-test:sk-lf-test-000000000000").toString("base64")}`);
      // Langfuse keeps the GenAI spans (its default filter): our llm_call, with the same id in both.
      const theirCall = theirs.spans.filter((s) => s.name === "llm_call");
      expect(theirCall).toHaveLength(1);
      expect(ours.spans.filter((s) => s.name === "llm_call").map((s) => s.spanId)).toEqual([theirCall[0]!.spanId]);
    });
  }
});
