// Cost of the zero-code LLM capture on fetch, against the undici HTTP instrumentation alone,
// on the start() pipeline (context manager, batching exporter that discards):
//  - per-request time of a non-streaming LLM-shaped request (a recorded chat completion);
//  - streaming throughput in SSE chunks per second (a recorded 302-chunk stream, read raw,
//    the worst case for relative overhead: the app does nothing but read).
// The LLM server runs in a child process (this file with --server) so its CPU is not billed to
// the client. Targets: ≤ 5 % added per request, ≥ 0.97 throughput ratio.
// Run: pnpm bench fetch-capture (builds first; imports the built dist/).
// --only=request,stream runs some sections; --baseline-dist=<checkout> adds `versus`: this
// build's capture against the capture built in another checkout (its packages/otel/dist), both
// in this process and in alternating paired rounds, so a change is measured against the code
// before it in the same run, not against a figure from another day (--this-dist=<checkout> puts
// another checkout's capture in place of this build's, to split a range of commits).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveForParent, spawnServer, startWithoutCapture } from "./capture-bench-env.ts";
import { median, pairedRounds, quartiles } from "./stats.ts";

const fixtures = fileURLToPath(new URL("../fixtures/llm/", import.meta.url));

if (process.argv.includes("--server")) {
  const json = readFileSync(fixtures + "openai-chat/openai-text.json");
  const frames = readFileSync(fixtures + "openai-chat/openai-text.chunks.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => Buffer.from(`data: ${l}\n\n`));
  frames.push(Buffer.from("data: [DONE]\n\n"));
  // A long answer: the recorded content chunks 20 times over (≈ 6000 chunks, 2 MB), then its end.
  const content = frames.slice(0, -3);
  const long = [...Array.from({ length: 20 }, () => content).flat(), ...frames.slice(-3)];
  const send = (res: import("node:http").ServerResponse, list: Buffer[]) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-events": String(list.length) });
    for (const frame of list) res.write(frame);
    res.end();
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/v1/stream/chat/completions") send(res, frames);
      else if (req.url === "/v1/long/chat/completions") send(res, long);
      else {
        res.writeHead(200, { "content-type": "application/json", "content-length": json.length });
        res.end(json);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  serveForParent(server);
} else {
  await main();
}

async function main(): Promise<void> {
  const { shutdown, installFetchCapture } = await startWithoutCapture();
  const { startLlmCall } = await import("../packages/otel/dist/llm/llm-call.js");
  const { setPriceOverrides } = await import("../packages/otel/dist/llm/price-overrides.js");
  const { default: OpenAI } = await import("openai");
  const { context } = await import("@opentelemetry/api");

  const { child, port } = await spawnServer(fileURLToPath(import.meta.url));
  const base = `http://127.0.0.1:${port}/v1`;
  const chatBody = JSON.stringify({
    model: "gpt-4.1-nano",
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Invent a new holiday and describe its traditions." },
    ],
    temperature: 0.7,
  });
  const streamBody = JSON.stringify({ ...JSON.parse(chatBody), stream: true, stream_options: { include_usage: true } });
  const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

  const request = async (): Promise<void> => {
    const response = await fetch(`${base}/chat/completions`, { method: "POST", headers, body: chatBody });
    await response.json();
  };
  let chunks = 0;
  /** Reads a stream raw, the worst case for relative overhead: the app does nothing but read. */
  const rawStream = (path: string) => async (): Promise<void> => {
    const response = await fetch(`${base}/${path}/chat/completions`, { method: "POST", headers, body: streamBody });
    const reader = response.body!.getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    chunks += Number(response.headers.get("x-events"));
  };
  const stream = rawStream("stream");
  const longStream = rawStream("long");
  /** The same stream read by the openai client, as an app would. */
  const sdkStream = async (): Promise<void> => {
    const client = new OpenAI({ apiKey: "sk-bench", baseURL: `${base}/stream`, maxRetries: 0 });
    const events = await client.chat.completions.create({
      model: "gpt-4.1-nano",
      messages: [{ role: "user", content: "Invent a new holiday and describe its traditions." }],
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of events) chunks++;
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  /** Runs `fn` `count` times; returns wall and client-CPU ns per call. */
  async function round(fn: () => Promise<void>, count: number): Promise<{ wall: number; cpu: number }> {
    gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await fn();
    const wall = Number(process.hrtime.bigint() - t0) / count;
    const cpu = process.cpuUsage(cpu0);
    return { wall, cpu: ((cpu.user + cpu.system) * 1000) / count };
  }
  interface Comparison {
    off: number;
    on: number;
    /** Median over rounds of on/off, each pair measured back to back (robust to load drifting on a shared machine). */
    ratio: number;
    /** First and third quartile of the paired on/off ratios: how far the rounds spread. */
    ratioSpread: [number, number];
    cpuOff: number;
    cpuOn: number;
    cpuRatio: number;
    offChunks: number;
    onChunks: number;
  }
  /** Capture off and on in back-to-back pairs, the order alternating, so drift hits both alike. */
  const none = () => () => {};
  async function compare(
    fn: () => Promise<void>,
    count: number,
    rounds: number,
    installOn = installFetchCapture,
    installOff: () => () => void = none,
  ): Promise<Comparison> {
    let offChunks = 0;
    let onChunks = 0;
    const measure = async (capture: boolean) => {
      const uninstall = capture ? installOn() : installOff();
      chunks = 0;
      const result = await round(fn, count);
      uninstall();
      if (capture) onChunks += chunks;
      else offChunks += chunks;
      return result;
    };
    for (let w = 0; w < 3; w++) {
      await measure(false);
      await measure(true);
    }
    offChunks = 0;
    onChunks = 0;
    const { off, on } = await pairedRounds(rounds, measure);
    return {
      off: median(off.map((x) => x.wall)),
      on: median(on.map((x) => x.wall)),
      ratio: median(on.map((x, i) => x.wall / off[i]!.wall)),
      ratioSpread: quartiles(on.map((x, i) => x.wall / off[i]!.wall)),
      cpuOff: median(off.map((x) => x.cpu)),
      cpuOn: median(on.map((x) => x.cpu)),
      cpuRatio: median(on.map((x, i) => x.cpu / off[i]!.cpu)),
      offChunks,
      onChunks,
    };
  }

  const only = process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",");
  const run = (name: string) => only === undefined || only.includes(name);
  const baselineDist = process.argv.find((a) => a.startsWith("--baseline-dist="))?.slice(16);
  const REQUESTS = 100;
  const STREAMS = 10;
  const LONG_STREAMS = 4;
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
  if (run("request")) {
    const req = await compare(request, REQUESTS, ROUNDS);
    console.log(`Non-streaming chat completion (2.6 KB JSON), ${REQUESTS} requests × ${ROUNDS} paired rounds, medians per request:`);
    console.log(
      `  undici instrumentation alone  ${(req.off / 1000).toFixed(1).padStart(7)} µs wall  ${(req.cpuOff / 1000).toFixed(1).padStart(7)} µs client CPU`,
    );
    console.log(
      `  + fetch capture               ${(req.on / 1000).toFixed(1).padStart(7)} µs wall  ${(req.cpuOn / 1000).toFixed(1).padStart(7)} µs client CPU`,
    );
    const added = req.ratio - 1;
    console.log(`  paired rounds' middle half: ${req.ratioSpread.map((r) => ((r - 1) * 100).toFixed(1)).join(" … ")} %`);
    console.log(
      `  added per request: ${(added * 100).toFixed(2)} % wall, ${((req.cpuRatio - 1) * 100).toFixed(2)} % client CPU (target ≤ 5 %): ${added <= 0.05 ? "ok" : "OVER TARGET"}`,
    );
  }
  if (run("other")) {
    const other = await compare(
      async () => {
        const response = await fetch(`${base}/models`);
        await response.arrayBuffer();
      },
      REQUESTS,
      ROUNDS,
    );
    console.log(
      `A non-LLM request (GET, passes straight through): ${((other.ratio - 1) * 100).toFixed(2)} % wall, ${((other.cpuRatio - 1) * 100).toFixed(2)} % client CPU`,
    );
  }
  const report = (title: string, c: Comparison, perStream: number, labels = ["undici instrumentation alone", "+ fetch capture"]) => {
    const offRate = perStream / (c.off / 1e9);
    const onRate = perStream / (c.on / 1e9);
    const ratio = 1 / c.ratio;
    console.log(title);
    console.log(`  ${labels[0]!.padEnd(29)} ${offRate.toFixed(0).padStart(8)} chunks/s`);
    console.log(`  ${labels[1]!.padEnd(29)} ${onRate.toFixed(0).padStart(8)} chunks/s`);
    console.log(
      `  throughput ratio: ${ratio.toFixed(3)} wall, ${(1 / c.cpuRatio).toFixed(3)} client CPU (target ≥ 0.97): ${ratio >= 0.97 ? "ok" : "UNDER TARGET"}`,
    );
  };
  if (run("stream")) {
    const raw = await compare(stream, STREAMS, ROUNDS);
    const perStream = raw.offChunks / (STREAMS * ROUNDS);
    if (raw.onChunks !== raw.offChunks) throw new Error(`chunk counts differ: ${raw.onChunks} vs ${raw.offChunks}`);
    report(
      `Streaming chat completion (${perStream.toFixed(0)} SSE chunks, 98 KB) read raw from response.body, ${STREAMS} streams × ${ROUNDS} paired rounds:`,
      raw,
      perStream,
    );
  }
  if (run("long")) {
    const long = await compare(longStream, LONG_STREAMS, ROUNDS);
    report(
      `A long streamed answer (${(long.offChunks / (LONG_STREAMS * ROUNDS)).toFixed(0)} SSE chunks, 2 MB) read raw, ${LONG_STREAMS} streams × ${ROUNDS} paired rounds (steady-state throughput):`,
      long,
      long.offChunks / (LONG_STREAMS * ROUNDS),
    );
  }
  if (run("sdk")) {
    const sdk = await compare(sdkStream, STREAMS, ROUNDS);
    report(`The same stream read through the openai client (a new client per stream, created after install):`, sdk, sdk.offChunks / (STREAMS * ROUNDS));
  }
  if (run("node-http")) {
    // The same requests made with http.request (node:http: axios's http adapter, the AWS SDK's NodeHttpHandler).
    const { request: httpRequest } = await import("node:http");
    const post = (path: string, body: string, read: "collect" | "drain") => (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${base}${path}`, { method: "POST", headers }, (res) => {
          const parts: Buffer[] = [];
          res.on("data", (chunk: Buffer) => (read === "collect" ? parts.push(chunk) : undefined));
          res.on("end", () => {
            if (read === "collect") JSON.parse(Buffer.concat(parts).toString("utf8"));
            chunks += Number(res.headers["x-events"] ?? 0);
            resolve();
          });
        });
        req.on("error", reject);
        req.end(body);
      });
    const json = await compare(post("/chat/completions", chatBody, "collect"), REQUESTS, ROUNDS);
    console.log(
      `node:http (http.request, no HTTP instrumentation to compare with), non-streaming chat completion: ${((json.ratio - 1) * 100).toFixed(2)} % wall, ${((json.cpuRatio - 1) * 100).toFixed(2)} % client CPU per request (+${((json.on - json.off) / 1000).toFixed(1)} µs wall, +${((json.cpuOn - json.cpuOff) / 1000).toFixed(1)} µs client CPU)`,
    );
    const other = await compare(post("/upload", chatBody, "collect"), REQUESTS, ROUNDS);
    console.log(
      `node:http, a POST that is not an LLM call (one WeakMap lookup per write): ${((other.ratio - 1) * 100).toFixed(2)} % wall, ${((other.cpuRatio - 1) * 100).toFixed(2)} % client CPU`,
    );
    const sse = await compare(post("/stream/chat/completions", streamBody, "drain"), STREAMS, ROUNDS);
    report(
      `node:http, the short stream (${(sse.offChunks / (STREAMS * ROUNDS)).toFixed(0)} SSE chunks) read with 'data' events:`,
      sse,
      sse.offChunks / (STREAMS * ROUNDS),
    );
  }
  if (run("breakdown")) {
    // Where the per-request cost goes: the capture itself, and the llm_call span (tokens, cost, metrics).
    const spanOnly = await round(async () => {
      const call = startLlmCall({ provider: "openai", model: "gpt-4.1-nano" });
      call.handle.setResponse({ model: "gpt-4.1-nano-2025-04-14" });
      call.handle.setUsage({ inputTokens: 16, outputTokens: 363 });
      call.end();
    }, 2000).then((r) => r.wall);
    console.log(`The llm_call span alone (llm module: usage, catalog cost lookup, metrics; no HTTP): ${(spanOnly / 1000).toFixed(1)} µs per call`);
    setPriceOverrides({ "gpt-4.1-nano-2025-04-14": { inputPerMTok: 0.1, outputPerMTok: 0.4 } });
    const priced = await compare(request, REQUESTS, ROUNDS);
    console.log(
      `Non-streaming again with the model's price given as an override (no genai-prices catalog lookup): +${((priced.on - priced.off) / 1000).toFixed(1)} µs wall, +${((priced.cpuOn - priced.cpuOff) / 1000).toFixed(1)} µs client CPU per request (${((priced.ratio - 1) * 100).toFixed(2)} %)`,
    );
  }
  if (run("floor")) {
    // The least any capture can cost: a fetch wrapper that only opens the llm_call around the
    // request (context.with, so the undici span is its child) and ends it with the usage when the
    // response headers arrive: no body parsing, no observation, no hash.
    const spanOnlyFetch = () => {
      const original = globalThis.fetch;
      globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const call = startLlmCall({
          provider: "openai",
          model: "gpt-4.1-nano",
          operation: "chat",
          stream: false,
          serverAddress: "127.0.0.1",
          serverPort: port,
        });
        return context
          .with(call.context, () => original(input, init))
          .then((response: Response) => {
            call.handle.setResponse({ model: "gpt-4.1-nano-2025-04-14" });
            call.handle.setUsage({ inputTokens: 16, outputTokens: 363 });
            call.end();
            return response;
          });
      }) as typeof fetch;
      return () => {
        globalThis.fetch = original;
      };
    };
    const floor = await compare(request, REQUESTS, ROUNDS, spanOnlyFetch);
    console.log(
      `Floor, non-streaming: an llm_call span around the request and nothing else: +${((floor.on - floor.off) / 1000).toFixed(1)} µs wall, +${((floor.cpuOn - floor.cpuOff) / 1000).toFixed(1)} µs client CPU per request (${((floor.ratio - 1) * 100).toFixed(2)} % wall)`,
    );
    const above = await compare(request, REQUESTS, ROUNDS, installFetchCapture, spanOnlyFetch);
    console.log(
      `The capture above that floor (request parse, hash, body observation, response parse): +${((above.on - above.off) / 1000).toFixed(1)} µs wall, +${((above.cpuOn - above.cpuOff) / 1000).toFixed(1)} µs client CPU per request (${((above.ratio - 1) * 100).toFixed(2)} % wall)`,
    );
    const streamAbove = await compare(stream, STREAMS, ROUNDS, installFetchCapture, spanOnlyFetch);
    console.log(
      `Short stream, the capture above that floor: throughput ratio ${(1 / streamAbove.ratio).toFixed(3)} wall, +${((streamAbove.on - streamAbove.off) / 1000).toFixed(1)} µs wall per stream`,
    );
  }
  if (baselineDist !== undefined && run("versus")) {
    const captureOf = async (checkout: string) => {
      const entry = pathToFileURL(join(resolve(checkout), "packages/otel/dist/capture/index.js")).href;
      return ((await import(entry)) as { installFetchCapture: () => () => void }).installFetchCapture;
    };
    const installBaseline = await captureOf(baselineDist);
    const thisDist = process.argv.find((a) => a.startsWith("--this-dist="))?.slice(12);
    const installThis = thisDist === undefined ? installFetchCapture : await captureOf(thisDist);
    const req = await compare(request, REQUESTS, ROUNDS, installThis, installBaseline);
    console.log(`This build's capture against ${baselineDist}'s, non-streaming, ${REQUESTS} requests × ${ROUNDS} paired rounds, medians per request:`);
    console.log(`  baseline capture  ${(req.off / 1000).toFixed(1).padStart(7)} µs wall  ${(req.cpuOff / 1000).toFixed(1).padStart(7)} µs client CPU`);
    console.log(`  this capture      ${(req.on / 1000).toFixed(1).padStart(7)} µs wall  ${(req.cpuOn / 1000).toFixed(1).padStart(7)} µs client CPU`);
    const [q1, q3] = req.ratioSpread.map((r) => ((r - 1) * 100).toFixed(1));
    console.log(
      `  change per request: ${((req.ratio - 1) * 100).toFixed(2)} % wall (paired rounds' middle half ${q1} … ${q3} %), ${((req.cpuRatio - 1) * 100).toFixed(2)} % client CPU`,
    );
    const streamed = await compare(stream, STREAMS, ROUNDS, installThis, installBaseline);
    report(`The short stream, this build's capture against ${baselineDist}'s:`, streamed, streamed.offChunks / (STREAMS * ROUNDS), [
      "baseline capture",
      "this capture",
    ]);
  }
  child.disconnect();
  child.kill();
  await shutdown();
}
