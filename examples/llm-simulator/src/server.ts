import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorBody, FaultPlan, type Fault } from "./faults.ts";
import { DEFAULT_LATENCY, responseTiming, type LatencyModel } from "./latency.ts";
import { Ledger } from "./ledger.ts";
import { PromptCache, type PromptCacheOptions } from "./prompt-cache.ts";
import { countTokens, promptText } from "./tokenizer.ts";
import { chatChunk, chatCompletion, completionId, completionText, usage, type ChatRequest } from "./wire.ts";

export interface SimulatorOptions {
  /** Default 0: a free port chosen by the system. */
  port?: number;
  host?: string;
  /** Multiplies every latency (1 = the model's full latency). Default 1. */
  timeScale?: number;
  latency?: Partial<LatencyModel>;
  /** Completion length when the request sets neither max_completion_tokens nor max_tokens. Default 256. */
  defaultOutputTokens?: number;
  faults?: Fault[];
  promptCache?: PromptCacheOptions;
  /** Latency of an error answer (429/500) before scaling, ms. Default 200. */
  errorLatencyMs?: number;
}

export interface Simulator {
  /** Base URL for OpenAI clients, ending in /v1. */
  url: string;
  port: number;
  ledger: Ledger;
  close(): Promise<void>;
}

const MAX_STREAM_CHUNKS = 24;
const nowMs = () => performance.timeOrigin + performance.now();

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const timeScale = options.timeScale ?? 1;
  const latency: LatencyModel = { ...DEFAULT_LATENCY, ...options.latency };
  const faults = new FaultPlan(options.faults);
  const cache = new PromptCache(options.promptCache);
  const ledger = new Ledger();
  const pending = new Set<() => void>();

  const server = createServer((req, res) => {
    const startMs = nowMs();
    if (req.method !== "POST" || !/^\/(v1\/)?chat\/completions\/?$/.test(new URL(req.url ?? "/", "http://x").pathname)) {
      sendJson(res, 404, errorBody("invalid_request", `Unknown request URL: ${req.method} ${req.url}`).body);
      return;
    }
    readBody(req).then(
      (raw) => {
        let body: ChatRequest;
        try {
          body = JSON.parse(raw) as ChatRequest;
          if (typeof body.model !== "string" || !Array.isArray(body.messages)) throw new Error("model and messages are required");
        } catch (error) {
          sendJson(res, 400, errorBody("invalid_request", `Invalid body: ${(error as Error).message}`).body);
          return;
        }
        handleCompletion(ledger.receive(), body, res, startMs);
      },
      () => res.destroy(),
    );
  });

  function handleCompletion(n: number, body: ChatRequest, res: ServerResponse, startMs: number) {
    const prompt = promptText(body.messages);
    const promptTokens = countTokens(prompt);
    const completionTokens = body.max_completion_tokens ?? body.max_tokens ?? options.defaultOutputTokens ?? 256;
    const stream = body.stream === true;
    const fault = faults.pick(n, body);
    const entry = {
      n,
      model: body.model,
      stream,
      status: 200,
      ...(fault ? { fault: fault.kind } : {}),
      aborted: false,
      promptTokens,
      cachedTokens: 0,
      completionTokens: 0,
      startMs,
      modelledMs: 0,
    };
    const timers: NodeJS.Timeout[] = [];
    const cancel = () => timers.forEach(clearTimeout);
    pending.add(cancel);
    const at = (ms: number, fn: () => void) => timers.push(setTimeout(fn, Math.max(0, ms)));
    res.once("close", () => {
      cancel();
      pending.delete(cancel);
      const endMs = nowMs();
      ledger.record({ ...entry, aborted: !res.writableFinished, endMs, ms: endMs - startMs });
    });

    if (fault && fault.kind !== "slow") {
      const { status, body: errorJson } = errorBody(fault.kind);
      entry.status = status;
      entry.modelledMs = (options.errorLatencyMs ?? 200) * timeScale;
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(Math.round(fault.retryAfterMs * timeScale));
      at(entry.modelledMs, () => sendJson(res, status, errorJson, headers));
      return;
    }

    const cachedTokens = cache.lookup(prompt, promptTokens);
    const timing = responseTiming(latency, promptTokens, completionTokens, timeScale);
    const extraMs = fault?.kind === "slow" ? fault.delayMs * timeScale : 0;
    entry.cachedTokens = cachedTokens;
    entry.completionTokens = completionTokens;
    entry.modelledMs = timing.totalMs + extraMs;
    const id = completionId(n);
    const created = Math.floor(Date.now() / 1000);
    const content = completionText(prompt, completionTokens);
    const usageValue = usage(promptTokens, cachedTokens, completionTokens);

    if (!stream) {
      at(entry.modelledMs, () => sendJson(res, 200, chatCompletion(id, created, body.model, content, usageValue)));
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const usageField = includeUsage ? null : undefined;
    const write = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const first = timing.firstChunkMs + extraMs;
    at(first, () => {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-request-id": id });
      write(chatChunk(id, created, body.model, { delta: { role: "assistant", content: "", refusal: null }, finish_reason: null }, usageField));
    });
    const pieces = Math.max(1, Math.min(MAX_STREAM_CHUNKS, completionTokens));
    const decodeMs = timing.totalMs - timing.firstChunkMs;
    for (let i = 0; i < pieces; i++) {
      const text = content.slice(Math.floor((i * content.length) / pieces), Math.floor(((i + 1) * content.length) / pieces));
      at(first + (decodeMs * (i + 1)) / pieces, () => {
        write(chatChunk(id, created, body.model, { delta: { content: text }, finish_reason: null }, usageField));
        if (i < pieces - 1) return;
        write(chatChunk(id, created, body.model, { delta: {}, finish_reason: "stop" }, usageField));
        if (includeUsage) write(chatChunk(id, created, body.model, undefined, usageValue));
        res.end("data: [DONE]\n\n");
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    ledger,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const cancel of pending) cancel();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
