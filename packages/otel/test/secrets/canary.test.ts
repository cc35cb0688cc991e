// The secret-canary suite: every provider fixture, error body and thrown error, with a canary
// key in every place a key travels (headers, query, request body, response body, error text,
// exception, code URLs), through the real clients (openai, @anthropic-ai/sdk, plain fetch) and
// the pipeline start() builds. The canaries must appear in none of its outputs: the exported
// spans, the metrics, the traces file, the CPU profile.
import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { CohereClientV2 } from "cohere-ai";
import { Ollama } from "ollama";
import OpenAI from "openai";
import Together from "together-ai";
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getCpuProfiler } from "../../src/cpu-profile/index.js";
import { llmCall } from "../../src/llm/llm-call.js";
import { toolCall } from "../../src/llm/tool-call.js";
import { shutdown, start } from "../../src/wiring/start.js";
import { profile } from "../../src/segments/profile.js";
import { runSteps } from "../../src/steps/run-steps.js";
import { fixtureBytes, fixtureEvents, fixtureJson, sseFrames, type SseFlavor } from "@jotty/test-kit/fixtures";
import { eventFrame } from "../capture/node-http/event-stream-frames.js";
import { jsonHandler, sseHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { EndedSpans, PullMetricReader, RecordingExporter } from "./canary-pipeline.js";
import { CANARY, MARKER, maskedAsOpenAI, secretsIn, spanText } from "./canaries.js";

const root = mkdtempSync(join(tmpdir(), "jotty-canary-"));
const tracesFile = join(root, "traces.jsonl");
const profileDir = join(root, "profiles");
const recorder = new RecordingExporter();
const ended = new EndedSpans();
const reader = new PullMetricReader();
let server: ReplayServer;
let llmCallsSoFar = 0;

/** Waits for this scenario's llm_call spans to end. */
async function llmCallsEnded(count: number): Promise<void> {
  llmCallsSoFar += count;
  await ended.llmCalls(llmCallsSoFar);
}

beforeAll(async () => {
  vi.stubEnv("OTEL_METRICS_EXPORTER", "none");
  vi.stubEnv("JOTTY_CPU_PROFILE", "1");
  vi.stubEnv("JOTTY_CPU_PROFILE_DIR", profileDir);
  vi.stubEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
  vi.stubEnv("JOTTY_REDACT_HEADERS", "x-gateway-secret");
  server = await startReplayServer();
  start({ serviceName: "canary-agent", tracesFile, traceExporter: recorder, spanProcessors: [ended], metricReaders: [reader] });
});
afterAll(async () => {
  await shutdown();
  await server.close();
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

// Every request carries the opaque canary in a header the user named and in a query parameter,
// and keys of every shape in its prompt (the request body).
const gatewayHeaders = { "x-gateway-secret": CANARY.opaque };
const gatewayQuery = { token: CANARY.opaque };
const prompt = (key: string) => `Use ${key} or ${CANARY.opaque} or ${CANARY.aws}; Authorization: Bearer ${CANARY.bearer}`;

const openai = (key: string, path = "/v1") =>
  new OpenAI({ apiKey: key, baseURL: server.baseUrl + path, maxRetries: 0, defaultHeaders: gatewayHeaders, defaultQuery: gatewayQuery });
const anthropic = () =>
  new Anthropic({ apiKey: CANARY.anthropic, baseURL: server.baseUrl, maxRetries: 0, defaultHeaders: gatewayHeaders, defaultQuery: gatewayQuery });

function gemini(stream: boolean): Promise<Response> {
  const method = stream ? "streamGenerateContent?alt=sse&" : "generateContent?";
  return fetch(`${server.baseUrl}/v1beta/models/gemini-2.5-flash:${method}key=${CANARY.google}&token=${CANARY.opaque}`, {
    method: "POST",
    headers: { "x-goog-api-key": CANARY.google, authorization: `Bearer ${CANARY.bearer}`, ...gatewayHeaders, "content-type": "application/json" },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: prompt(CANARY.google) }] }] }),
  });
}

async function chat(client: OpenAI, key: string, stream: boolean): Promise<void> {
  const messages = [{ role: "user" as const, content: prompt(key) }];
  if (!stream) {
    await client.chat.completions.create({ model: "gpt-4.1-nano", messages });
    return;
  }
  const chunks = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, stream: true, stream_options: { include_usage: true } });
  for await (const _ of chunks) void _;
}

function bedrock(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: server.baseUrl,
    credentials: { accessKeyId: CANARY.aws, secretAccessKey: CANARY.opaque },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(), // the replay server speaks HTTP/1.1 (the default handler is http2)
  });
}

/** A Bedrock event stream (one JSON event per line, keyed by its type) in the AWS binary framing. */
function bedrockFrames(file: string): { frames: Buffer[]; headers: Record<string, string> } {
  const frames = fixtureEvents(file).map((line) => {
    const [type, payload] = Object.entries(JSON.parse(line) as Record<string, unknown>)[0]!;
    return eventFrame(type, payload);
  });
  return { frames, headers: { "content-type": "application/vnd.amazon.eventstream" } };
}

/** How each fixture folder is called: which client, which key, which stream framing. */
const FOLDERS: Record<string, { flavor: SseFlavor; call: (stream: boolean) => Promise<void>; stream?: typeof bedrockFrames }> = {
  "openai-chat": { flavor: "openai", call: (stream) => chat(openai(CANARY.openai), CANARY.openai, stream) },
  "openai-compatible-chat": { flavor: "openai", call: (stream) => chat(openai(CANARY.xai), CANARY.xai, stream) },
  groq: { flavor: "openai", call: (stream) => chat(openai(CANARY.groq, "/openai/v1"), CANARY.groq, stream) },
  "openai-responses": {
    flavor: "responses",
    call: async (stream) => {
      const client = openai(CANARY.openai);
      if (!stream) {
        await client.responses.create({ model: "gpt-5-mini", input: prompt(CANARY.openai) });
        return;
      }
      const events = await client.responses.create({ model: "gpt-5-mini", input: prompt(CANARY.openai), stream: true });
      for await (const _ of events) void _;
    },
  },
  anthropic: {
    flavor: "anthropic",
    call: async (stream) => {
      const request = { model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user" as const, content: prompt(CANARY.anthropic) }] };
      if (!stream) {
        await anthropic().messages.create(request);
        return;
      }
      const events = await anthropic().messages.create({ ...request, stream: true });
      for await (const _ of events) void _;
    },
  },
  google: {
    flavor: "gemini",
    call: async (stream) => {
      await (await gemini(stream)).text();
    },
  },
  // Ollama's JSON bodies (its NDJSON streams are not among the files this suite replays).
  ollama: {
    flavor: "openai",
    call: async () => {
      const client = new Ollama({ host: server.baseUrl, headers: gatewayHeaders });
      await client.chat({ model: "llama3.2", messages: [{ role: "user", content: prompt(CANARY.opaque) }], stream: false });
    },
  },
};

FOLDERS.cohere = {
  flavor: "anthropic",
  call: async (stream) => {
    const client = new CohereClientV2({ token: CANARY.opaque, environment: server.baseUrl });
    const request = { model: "command-a-03-2025", messages: [{ role: "user" as const, content: prompt(CANARY.opaque) }] };
    if (!stream) {
      await client.chat(request);
      return;
    }
    for await (const _ of await client.chatStream(request)) void _;
  },
};

FOLDERS.together = {
  flavor: "openai",
  call: async (stream) => {
    const client = new Together({
      apiKey: CANARY.opaque,
      baseURL: `${server.baseUrl}/v1`,
      maxRetries: 0,
      defaultHeaders: gatewayHeaders,
      defaultQuery: gatewayQuery,
    });
    const messages = [{ role: "user" as const, content: prompt(CANARY.opaque) }];
    if (!stream) {
      await client.chat.completions.create({ model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", messages });
      return;
    }
    for await (const _ of await client.chat.completions.create({ model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", messages, stream: true })) void _;
  },
};

FOLDERS.bedrock = {
  flavor: "openai",
  stream: bedrockFrames,
  call: async (stream) => {
    const input = { modelId: "anthropic.claude-3-haiku-20240307-v1:0", messages: [{ role: "user" as const, content: [{ text: prompt(CANARY.aws) }] }] };
    if (!stream) {
      await bedrock().send(new ConverseCommand(input));
      return;
    }
    const output = await bedrock().send(new ConverseStreamCommand(input));
    for await (const _ of output.stream!) void _;
  },
};

const fixturesDir = fileURLToPath(new URL("../../../../fixtures/llm/", import.meta.url));
const FIXTURES = (readdirSync(fixturesDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".json") || f.endsWith(".chunks.txt")).sort();
const ERROR_FIXTURES = ["openai-responses/openai-error.1.json", "openai-chat/openai-rate-limit-tokens.429.json"];

describe("every provider fixture, keys in headers, query and prompt", () => {
  it("every fixture is in this suite", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(15);
    for (const file of FIXTURES) expect(Object.keys(FOLDERS), file).toContain(file.split("/")[0]);
  });

  it.each(FIXTURES.filter((f) => !ERROR_FIXTURES.includes(f)))("%s", async (file) => {
    const folder = FOLDERS[file.split("/")[0]!]!;
    const stream = file.endsWith(".chunks.txt");
    if (stream && folder.stream !== undefined) {
      const { frames, headers } = folder.stream(file);
      server.handle(sseHandler(frames, { headers }));
    } else {
      server.handle(stream ? sseHandler(sseFrames(file, folder.flavor)) : jsonHandler(fixtureBytes(file)));
    }
    await folder.call(stream);
    await llmCallsEnded(1);
    // The canaries really travelled (Bedrock signs its requests: its access key is in the Authorization header).
    expect(JSON.stringify(server.requests.at(-1))).toContain(file.startsWith("bedrock/") ? CANARY.aws : CANARY.opaque);
  });

  it("a model answer quoting the keys (response body, content capture on)", async () => {
    const body = fixtureJson("openai-chat/openai-text.json") as { choices: Array<{ message: { content: string } }> };
    body.choices[0]!.message.content = `Your keys: ${prompt(CANARY.openai)}`;
    server.handle(jsonHandler(JSON.stringify(body)));
    await chat(openai(CANARY.openai), CANARY.openai, false);
    await llmCallsEnded(1);
    const llm = ended.spans.filter((s) => s.name === "llm_call").at(-1)!;
    // "Bearer REDACTED", or "REDACTED" once a request has sent that Authorization value.
    expect(llm.attributes["gen_ai.output.messages"]).toMatch(/"Your keys: Use REDACTED or REDACTED or REDACTED; Authorization: (Bearer )?REDACTED"/);
  });
});

function openAIError(message: string, code = "invalid_api_key"): string {
  return JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code } });
}

describe("error bodies and errors quoting the keys", () => {
  it("the recorded OpenAI quota error (429) through the openai client", async () => {
    server.handle(jsonHandler(fixtureBytes("openai-responses/openai-error.1.json"), 429));
    const error = await openai(CANARY.openai)
      .responses.create({ model: "gpt-5-mini", input: prompt(CANARY.openai) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    await llmCallsEnded(1);
  });

  it.each([
    ["OpenAI", CANARY.openai, "/v1"],
    ["xAI", CANARY.xai, "/v1"],
    ["Groq", CANARY.groq, "/openai/v1"],
  ])("%s 401 quoting the key masked and whole, inside llmCall()", async (_name, key, path) => {
    server.handle(jsonHandler(openAIError(`Incorrect API key provided: ${maskedAsOpenAI(key)} (was ${key}, gateway ${CANARY.opaque})`, key), 401));
    const error = await llmCall({ provider: "openai", model: "gpt-4.1-nano" }, () => chat(openai(key, path), key, false)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as Error).message).toContain(key);
    await llmCallsEnded(1);
  });

  it("an OpenAI stream that ends in an error event quoting the key", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai").slice(0, 5);
    frames.push(Buffer.from(`data: ${openAIError(`key ${CANARY.openai} / ${CANARY.opaque} revoked`, "server_error")}\n\n`));
    server.handle(sseHandler(frames));
    await expect(chat(openai(CANARY.openai), CANARY.openai, true)).rejects.toThrow(OpenAI.APIError);
    await llmCallsEnded(1);
  });

  it("Anthropic 401 and a mid-stream error event quoting the key", async () => {
    const message = `invalid x-api-key ${CANARY.anthropic} (gateway ${CANARY.opaque})`;
    server.handle(jsonHandler(JSON.stringify({ type: "error", error: { type: "authentication_error", message } }), 401));
    const request = { model: "claude-haiku-4-5", max_tokens: 5, messages: [{ role: "user" as const, content: prompt(CANARY.anthropic) }] };
    await expect(anthropic().messages.create(request)).rejects.toThrow(Anthropic.AuthenticationError);
    await llmCallsEnded(1);
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message } })}\n\n`);
    });
    const events = await anthropic().messages.create({ ...request, stream: true });
    await expect(
      (async () => {
        for await (const _ of events) void _;
      })(),
    ).rejects.toThrow();
    await llmCallsEnded(1);
  });

  it("a Gemini 400 quoting ?key=", async () => {
    server.handle(
      jsonHandler(JSON.stringify({ error: { code: 400, message: `API key not valid: ${CANARY.google} ${CANARY.opaque}`, status: "INVALID_ARGUMENT" } }), 400),
    );
    expect((await gemini(false)).status).toBe(400);
    await llmCallsEnded(1);
  });

  it("a connection reset: the fetch error of a request with keys in its URL and headers", async () => {
    server.handle((req) => {
      req.socket.destroy();
    });
    await expect(gemini(false)).rejects.toThrow(TypeError);
    await llmCallsEnded(1);
  });

  it("errors thrown by app code in llmCall(), profile(), toolCall() and a runSteps() step", async () => {
    const message = `failed with ${Object.values(CANARY).join(" ")}`;
    const fail = () => {
      throw new Error(message);
    };
    await expect(llmCall({ provider: "openai", model: "gpt-4.1-nano" }, fail)).rejects.toThrow(message);
    await llmCallsEnded(1);
    expect(() => profile("load-keys", fail)).toThrow(message);
    await expect(toolCall("call-tool", async () => fail())).rejects.toThrow(message);
    const report = await runSteps("agent-run", [{ name: "fetch-data", run: fail }], { maxRetriesPerStep: 0, progress: "off" });
    expect(report.ok).toBe(false);
  });
});

describe("code loaded from URLs that carry keys", () => {
  it("is sampled by the CPU profiler inside a segment", () => {
    const profiler = getCpuProfiler();
    expect(profiler?.running).toBe(true);
    const filename = `https://agent.example/tools.js?token=${CANARY.opaque}&key=${CANARY.google}#${CANARY.openai}`;
    const burn = vm.runInThisContext("(function toolBurn(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; })", { filename }) as (
      n: number,
    ) => number;
    // A fixed amount of work per round, until the sampler has caught the function at least once.
    const sampled = () => profiler!.toCpuProfile().nodes.some((n) => n.callFrame.url.startsWith("https://agent.example/tools.js"));
    do {
      profile("tool-burn", () => burn(2_000_000));
      profiler!.read();
    } while (!sampled());
    expect(sampled()).toBe(true);
  });

  it("is sampled from a URL-encoded data: URL holding a key after %22 and %3D", () => {
    const profiler = getCpuProfiler()!;
    // Keys no request sent (the sent ones are redacted as known secrets): only the shape rule can find them.
    const filename = "data:text/javascript,const%20key%3D%22sk-proj-CANARY0dataurl0a1b2c3d4e5f6g7%22%3Bconst%20g%3DAIzaSyCANARY0dataurl0a1b2c3d4e5f6g7h8";
    const burn = vm.runInThisContext("(function dataBurn(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; })", { filename }) as (
      n: number,
    ) => number;
    const sampled = () => profiler.toCpuProfile().nodes.some((n) => n.callFrame.url.startsWith("data:text/javascript,const%20key"));
    do {
      profile("data-burn", () => burn(2_000_000));
      profiler.read();
    } while (!sampled());
    expect(sampled()).toBe(true);
  });
});

describe("outputs", () => {
  it("the canaries appear nowhere: exported spans, ended spans, metrics, traces file, CPU profile", async () => {
    const metricsText = JSON.stringify((await reader.collect()).resourceMetrics);
    await shutdown();
    const exported = recorder.bodies.join("\n");
    const file = readFileSync(tracesFile, "utf8");
    const profiles = readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"));
    const profileText = profiles.map((f) => readFileSync(join(profileDir, f), "utf8")).join("\n");

    // The canaries did travel, and every output holds what the suite produced.
    for (const request of server.requests) expect(JSON.stringify(request)).toContain(MARKER);
    const llmCallsIn = (text: string) => text.split('"name":"llm_call"').length - 1;
    expect(llmCallsIn(exported)).toBe(llmCallsSoFar);
    expect(llmCallsIn(file)).toBe(llmCallsSoFar);
    for (const name of ["load-keys", "execute_tool call-tool", "fetch-data", "tool-burn", "data-burn"])
      expect(file.includes(`"name":"${name}"`), name).toBe(true);
    expect(metricsText.includes("gen_ai.client.operation.duration")).toBe(true);
    expect(profileText.includes("https://agent.example/tools.js?token=")).toBe(true);

    const outputs = { exported, endedSpans: spanText(ended.spans), metrics: metricsText, tracesFile: file, cpuProfile: profileText };
    for (const [output, text] of Object.entries(outputs)) {
      // Raw, URL-encoded, JSON-escaped and base64 forms (canary-process.test.ts scans raw OTLP bodies, stdout and stderr).
      expect(secretsIn(text, CANARY), `canaries in ${output}`).toEqual([]);
      expect(text.includes(MARKER), `a canary fragment in ${output}`).toBe(false);
    }
    expect(profileText.includes("data:text/javascript,const%20key%3D%22REDACTED%22%3Bconst%20g%3DREDACTED")).toBe(true);
    // Redacted, not dropped: the words around a key stay.
    expect(exported.includes("Incorrect API key provided: REDACTED")).toBe(true);
    expect(profileText.includes("https://agent.example/tools.js?token=REDACTED&key=REDACTED#REDACTED")).toBe(true);
  });
});
