import OpenAI, { RateLimitError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator, type SimulatorOptions } from "../src/index.ts";

let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close().catch(() => {});
  simulator = undefined;
});

/**
 * How long a plain timer of `ms` armed now really takes in this process (the simulator runs in
 * it): the simulator's own timers can be no earlier, and on a loaded CI both are late alike.
 */
function plainTimer(ms: number): Promise<number> {
  const armed = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(performance.now() - armed), ms));
}

async function start(options: SimulatorOptions = {}) {
  // latency scaled down so each call takes tens of ms
  simulator = await startSimulator({ timeScale: 0.002, ...options });
  const client = new OpenAI({ apiKey: "sk-simulated", baseURL: simulator.url, maxRetries: 2 });
  return { simulator, client };
}

const message = (text: string) => [{ role: "user" as const, content: text }];

describe("LLM simulator", () => {
  it("answers a chat completion in OpenAI's format with deterministic token counts", async () => {
    const { client, simulator } = await start();
    const prompt = "x".repeat(400); // <|user|> + 400 chars = 408 chars = 102 tokens
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages: message(prompt), max_tokens: 50 });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe("gpt-4.1-mini");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toHaveLength(200);
    expect(completion.usage).toEqual({
      prompt_tokens: 102,
      completion_tokens: 50,
      total_tokens: 152,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    const [entry] = simulator.ledger.entries;
    expect(entry).toMatchObject({ n: 1, status: 200, stream: false, aborted: false, promptTokens: 102, completionTokens: 50 });
  });

  it("streams chat.completion.chunk events and [DONE], with usage last when include_usage is set", async () => {
    const { client } = await start();
    const stream = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: message("hello"),
      max_tokens: 40,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toHaveLength(160);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 40, total_tokens: 44 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it("omits usage from a stream without include_usage", async () => {
    const { client } = await start();
    const stream = await client.chat.completions.create({ model: "m", messages: message("hi"), max_tokens: 5, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
  });

  it("reports cached_tokens when a long prompt prefix repeats, in 128-token blocks from 1024", async () => {
    const { client } = await start();
    const shared = "s".repeat(4 * 1500);
    const first = await client.chat.completions.create({
      model: "m",
      max_tokens: 1,
      messages: [{ role: "system", content: shared }, ...message("first question")],
    });
    const second = await client.chat.completions.create({
      model: "m",
      max_tokens: 1,
      messages: [{ role: "system", content: shared }, ...message("second question")],
    });
    const short = await client.chat.completions.create({ model: "m", max_tokens: 1, messages: message("tiny") });
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    // shared prefix: "<|system|>" (10) + 6000 + "<|user|>" (8) + "" = 6018 chars = 1504 tokens → 11 blocks of 128
    expect(second.usage!.prompt_tokens_details!.cached_tokens).toBe(1408);
    expect(second.usage!.prompt_tokens).toBeGreaterThan(1408);
    expect(short.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
  });

  it("takes (base + input × per-token + output × per-token) × timeScale, and the ledger records it", async () => {
    const latency = { baseMs: 100, perInputTokenMs: 0.5, perOutputTokenMs: 2 };
    const { client, simulator } = await start({ timeScale: 0.5, latency });
    const expected = (100 + 0.5 * 100 + 2 * 100) * 0.5; // 175 ms
    const started = performance.now();
    const reference = plainTimer(expected);
    await client.chat.completions.create({ model: "m", messages: message("y".repeat(392)), max_tokens: 100 }); // 100 prompt tokens
    const clientMs = performance.now() - started;
    const [entry] = simulator.ledger.entries;
    expect(entry!.modelledMs).toBe(expected);
    expect(entry!.ms).toBeGreaterThanOrEqual(expected - 1);
    expect(entry!.ms).toBeLessThan((await reference) + 150); // as late as this loaded loop let any timer be, no more
    expect(clientMs).toBeGreaterThanOrEqual(entry!.ms - 1);
    expect(simulator.ledger.busyMs()).toBeCloseTo(entry!.ms, 6);
  });

  it("delays the first streamed chunk by base + prefill", async () => {
    const { client } = await start({ timeScale: 1, latency: { baseMs: 120, perInputTokenMs: 0, perOutputTokenMs: 20 } });
    const started = performance.now();
    const reference = plainTimer(120);
    const stream = await client.chat.completions.create({ model: "m", messages: message("hi"), max_tokens: 30, stream: true });
    let firstMs = 0;
    for await (const _ of stream) firstMs ||= performance.now() - started;
    const totalMs = performance.now() - started;
    expect(firstMs).toBeGreaterThanOrEqual(119);
    // well before the end (decoding takes 30 × 20 ms more), allowing for how late timers fire here
    expect(firstMs).toBeLessThan((await reference) + 300);
    expect(totalMs).toBeGreaterThanOrEqual(120 + 600 - 1);
  });

  it("injects a 429 burst with OpenAI's error body; the client's own retries get through", async () => {
    const { client, simulator } = await start({ faults: [{ kind: "rate_limit", requests: [1, 2], retryAfterMs: 5 }] });
    const completion = await client.chat.completions.create({ model: "m", messages: message("hi"), max_tokens: 3 });
    expect(completion.usage!.completion_tokens).toBe(3);
    expect(simulator.ledger.entries.map((e) => [e.n, e.status, e.fault])).toEqual([
      [1, 429, "rate_limit"],
      [2, 429, "rate_limit"],
      [3, 200, undefined],
    ]);
  });

  it("gives the client a RateLimitError/InternalServerError once its retries are spent", async () => {
    const { simulator } = await start({
      faults: [
        { kind: "rate_limit", times: 1 },
        { kind: "server_error", times: 1 },
      ],
    });
    const client = new OpenAI({ apiKey: "sk-simulated", baseURL: simulator.url, maxRetries: 0 });
    const rateLimited = await client.chat.completions.create({ model: "m", messages: message("a") }).catch((e: unknown) => e);
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect((rateLimited as RateLimitError).error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    const serverError = await client.chat.completions.create({ model: "m", messages: message("b") }).catch((e: unknown) => e);
    expect(serverError).toBeInstanceOf(OpenAI.InternalServerError);
    expect((serverError as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect((await client.chat.completions.create({ model: "m", messages: message("c"), max_tokens: 1 })).object).toBe("chat.completion");
  });

  it("answers slower than a caller's timeout when told to, and records the abandoned request", async () => {
    const { client, simulator } = await start({
      timeScale: 1,
      latency: { baseMs: 10, perInputTokenMs: 0, perOutputTokenMs: 0 },
      faults: [{ kind: "slow", delayMs: 60_000, lastMessageIncludes: "SLOW" }],
    });
    const error = await client.chat.completions
      .create({ model: "m", messages: message("please be SLOW") }, { signal: AbortSignal.timeout(100), maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    await simulator.ledger.whenCount(1);
    const [entry] = simulator.ledger.entries;
    expect(entry).toMatchObject({ fault: "slow", aborted: true });
    expect(entry!.modelledMs).toBe(60_010);
    // The server's clock starts when the request arrives, after the client's 100 ms timer did.
    expect(entry!.ms).toBeGreaterThan(0);
    expect(entry!.ms).toBeLessThan(5_000); // recorded when the client hung up, not after the slow answer
  });

  it("answers unknown paths and bad bodies with OpenAI-style errors", async () => {
    const { simulator } = await start();
    const notFound = await fetch(`${simulator.url}/models/x`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const bad = await fetch(`${simulator.url}/chat/completions`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
  });

  it("closes with requests in flight and leaves no timer or socket behind", async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r.startsWith("TCP")).length;
    const before = count();
    const { client, simulator } = await start({ timeScale: 1 });
    const inFlight = client.chat.completions.create({ model: "m", messages: message("never finishes") }, { maxRetries: 0 }).catch((e: unknown) => e);
    await simulator.ledger.whenReceived(1);
    await simulator.close();
    expect(await inFlight).toBeInstanceOf(OpenAI.APIConnectionError);
    for (let turn = 0; turn < 20 && count() > before; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBeLessThanOrEqual(before);
    expect(simulator.ledger.entries[0]).toMatchObject({ aborted: true });
  });
});
