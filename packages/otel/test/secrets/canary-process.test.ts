// The canary scan of a real process: `node --import @jotty/otel/register` (the built dist/) runs
// fixtures/canary-app.mjs, whose openai, @anthropic-ai/sdk, @google/genai and fetch calls carry canary secrets
// in headers, query, cookie, userinfo, a path segment and the prompt, and get provider errors
// quoting them. Every byte it exports is scanned for every canary in raw, URL-encoded,
// JSON-escaped and base64 forms: the raw OTLP/HTTP bodies (protobuf and JSON) a receiver got,
// the traces file, stdout and stderr. With content capture off the prompt and system text are
// canaries too.
// Run `flock /tmp/jotty-build.lock pnpm build` before running this file alone.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { CANARY, MARKER, secretsIn } from "./canaries.js";

const app = fileURLToPath(new URL("./fixtures/canary-app.mjs", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));

/** Secrets of the app's requests; `system` is content (a canary only while content capture is off). */
const SECRETS = {
  openai: CANARY.openai,
  anthropic: CANARY.anthropic,
  google: CANARY.google,
  opaque: CANARY.opaque,
  session: "sess-CANARY-5e6f7a8b9c0d",
  gateway: "gw-CANARY-1a2b3c4d5e6f",
  user: "agentuser-CANARY-3c4d",
  password: "pw-CANARY-9f8e7d6c5b",
};
const CONTENT = { system: "SYSTEM-CANARY-you-run-payroll-for-acme" };

let replay: ReplayServer;
let root: string;

beforeAll(async () => {
  if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  root = mkdtempSync(join(tmpdir(), "jotty-canary-process-"));
  replay = await startReplayServer();
  const ok = jsonHandler(fixtureBytes("openai-chat/openai-text.json"));
  const stream = sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai"));
  const quoted = (body: string) => `Invalid content in messages: ${body}`;
  replay.handle((req, res, body) => {
    const path = (req.url ?? "").split("?")[0]!;
    if (path === "/err/v1/chat/completions") {
      const error = { error: { message: quoted(body), type: "invalid_request_error", param: "messages", code: "invalid_value" } };
      return jsonHandler(JSON.stringify(error), 400)(req, res, body);
    }
    if (path === "/err/v1/messages") {
      const error = { type: "error", error: { type: "invalid_request_error", message: `${quoted(body)} x-api-key ${SECRETS.anthropic}` } };
      return jsonHandler(JSON.stringify(error), 400)(req, res, body);
    }
    if (path.startsWith("/gerr/")) {
      // Gemini's recorded 400 envelope, its message quoting the request and the key.
      const recorded = JSON.parse(fixtureBytes("google/google-structured-output-with-tools-error.json").toString("utf8"));
      const error = { error: { ...recorded.error, message: `${quoted(body)} key=${SECRETS.google}` } };
      return jsonHandler(JSON.stringify(error), 400)(req, res, body);
    }
    if (path.startsWith("/stream/")) return stream(req, res, body);
    if (path.endsWith(":generateContent")) return jsonHandler(fixtureBytes("google/google-text.json"))(req, res, body);
    return ok(req, res, body);
  });
});
afterAll(async () => {
  await replay.close();
  rmSync(root, { recursive: true, force: true });
});

/** An OTLP/HTTP receiver that keeps every request body as the bytes it got. */
async function rawReceiver(): Promise<{ url: string; bodies: Buffer[]; server: Server }> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/json" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

interface Outputs {
  otlp: string;
  tracesFile: string;
  stdout: string;
  stderr: string;
}

async function runApp(protocol: "http/protobuf" | "http/json", captureContent: boolean): Promise<Outputs> {
  const receiver = await rawReceiver();
  const tracesFile = join(root, `${protocol.replace("/", "-")}-${captureContent}.jsonl`);
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", app], {
    cwd: fileURLToPath(new URL("./fixtures/", import.meta.url)),
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      REPLAY_URL: replay.baseUrl,
      CANARIES: JSON.stringify({ ...SECRETS, ...CONTENT }),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_METRICS_EXPORTER: "otlp",
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: String(captureContent),
      JOTTY_TRACES_FILE: tracesFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  receiver.server.closeAllConnections();
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  expect(code, stderr).toBe(0);
  expect(stdout).toContain("done");
  // latin1 keeps every byte as one character: protobuf strings stay searchable as they were sent.
  return { otlp: receiver.bodies.map((b) => b.toString("latin1")).join("\n"), tracesFile: readFileSync(tracesFile, "utf8"), stdout, stderr };
}

function expectNoCanary(outputs: Outputs, secrets: Record<string, string>): void {
  for (const [output, text] of Object.entries(outputs)) {
    expect(secretsIn(text, secrets), `canaries in ${output}`).toEqual([]);
  }
}

describe("every exported byte of a real process, scanned for the canaries", () => {
  it.each([["http/protobuf"], ["http/json"]] as const)("content capture off, OTLP %s: no secret, no prompt, no system text", async (protocol) => {
    const sentBefore = replay.requests.length;
    const outputs = await runApp(protocol, false);
    // The calls really were recorded and exported (12 LLM requests, each an llm_call).
    expect(outputs.tracesFile.split('"name":"llm_call"').length - 1).toBe(12);
    expect(outputs.otlp).toContain("llm_call");
    expect(outputs.otlp).toContain("gen_ai.client.operation.duration");
    expect(replay.requests.some((r) => r.url.includes(`/k/${SECRETS.opaque}/`))).toBe(true);
    // @google/genai sent the key in x-goog-api-key, in ?key= (the app's fetch) and in a gateway's
    // path (the plain fetch call, on /v1beta, sends it too).
    const gemini = replay.requests.slice(sentBefore).filter((r) => r.headers["x-goog-api-key"] === SECRETS.google);
    expect(gemini.map((r) => r.url.split("/models/")[0]).sort()).toEqual(["/gerr/v1", `/k/${SECRETS.google}/v1`, "/v1", "/v1", "/v1beta"]);
    expect(gemini.filter((r) => r.url.includes(`?key=${SECRETS.google}`))).toHaveLength(2);
    expectNoCanary(outputs, { ...SECRETS, ...CONTENT });
    for (const [output, text] of Object.entries(outputs)) expect(text.includes(MARKER), `a canary fragment in ${output}`).toBe(false);
  });

  it("content capture on, OTLP http/json: the prompt is recorded, no secret is", async () => {
    const outputs = await runApp("http/json", true);
    expect(outputs.tracesFile).toContain(CONTENT.system);
    expectNoCanary(outputs, SECRETS);
  });
});
