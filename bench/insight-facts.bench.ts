// Cost of the capture facts the insights read (issue 21): the request scan (prompt-prefix
// fingerprints at each message boundary, tool-result sizes, max_tokens: request-shape.ts) and the
// response's tool-call fingerprints (wire/tool-calls.ts), against the capture's per-request work
// without them (parse the request, jotty.llm.prompt_hash), in the same run, paired rounds:
//  - per request, three request bodies: a short chat, the agent turn (a 6,000-token
//    system prompt and three 60 KB tool results, ≈ 205 KB) and a 60-message conversation;
//  - what the facts add to a whole captured request of the agent turn over loopback (the fetch
//    capture on the start() pipeline, the server in a child process).
// Run: pnpm bench insight-facts (builds first; imports the built dist/).
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { serveForParent, spawnServer, startWithoutCapture } from "./capture-bench-env.ts";
import { median, pairedRounds, quartiles } from "./stats.ts";

if (process.argv.includes("--server")) {
  const answer = Buffer.from(
    JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion",
      created: 1,
      model: "gpt-4.1-nano",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_1", type: "function", function: { name: "search", arguments: '{"query":"gen_ai semantic conventions"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 51_000, completion_tokens: 18, total_tokens: 51_018, prompt_tokens_details: { cached_tokens: 0 } },
    }),
  );
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": answer.length });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  serveForParent(server);
} else {
  await main();
}

function bodies(): Record<string, string> {
  const tools = [
    {
      type: "function",
      function: { name: "search", description: "Search the web", parameters: { type: "object", properties: { query: { type: "string" } } } },
    },
  ];
  const system = "You are a research agent. Follow the house rules below exactly.\n" + "Rule: cite every source you use, with its URL and date. ".repeat(430);
  const agent: unknown[] = [
    { role: "system", content: system },
    { role: "user", content: "What do the GenAI semantic conventions say about cached tokens?" },
  ];
  for (let turn = 0; turn < 3; turn++) {
    agent.push({
      role: "assistant",
      content: null,
      tool_calls: [{ id: `call_${turn}`, type: "function", function: { name: "search", arguments: '{"query":"gen_ai semantic conventions"}' } }],
    });
    agent.push({ role: "tool", tool_call_id: `call_${turn}`, content: "result: " + "x".repeat(59_992) });
  }
  const chat = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i}: ` + "words of a long chat ".repeat(24) }));
  return {
    "short chat (2 messages)": JSON.stringify({
      model: "gpt-4.1-nano",
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "Invent a new holiday." },
      ],
      temperature: 0.7,
    }),
    "agent turn (6k-token system, 3 × 60 KB tool results)": JSON.stringify({ model: "gpt-4.1-nano", messages: agent, tools, max_tokens: 512 }),
    "60-message conversation": JSON.stringify({ model: "gpt-4.1-nano", messages: chat, max_tokens: 512 }),
  };
}

async function main(): Promise<void> {
  const { promptHash } = await import("../packages/otel/dist/capture/prompt-hash.js");
  const { requestShape } = await import("../packages/otel/dist/capture/request-shape.js");
  const { toolCallPrint } = await import("../packages/otel/dist/capture/wire/tool-calls.js");
  const gc = (globalThis as { gc?: () => void }).gc;
  const ROUNDS = 21;
  let sink = 0;

  console.log("Per request, the capture's own work (parse + prompt_hash) without and with the insight facts:");
  const perRequestNs: Record<string, number> = {};
  for (const [name, text] of Object.entries(bodies())) {
    const n = Math.max(20, Math.round(4e6 / text.length));
    const once = (facts: boolean) => {
      const body = JSON.parse(text) as Record<string, unknown>;
      sink += promptHash(body, "gpt-4.1-nano").length;
      if (facts) {
        sink += Object.keys(requestShape(text, body)).length;
        sink += toolCallPrint("search", '{"query":"gen_ai semantic conventions"}').hash.length;
      }
    };
    for (let i = 0; i < n; i++) once(i % 2 === 0);
    const { off, on } = await pairedRounds(ROUNDS, async (facts) => {
      gc?.();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) once(facts);
      return Number(process.hrtime.bigint() - t0) / n;
    });
    const ratios = on.map((v, i) => v / off[i]!);
    const [q1, q3] = quartiles(ratios);
    perRequestNs[name] = median(on) - median(off);
    console.log(
      `  ${name}, ${(text.length / 1000).toFixed(1)} KB: ${(median(off) / 1000).toFixed(1)} → ${(median(on) / 1000).toFixed(1)} µs ` +
        `(+${(perRequestNs[name]! / 1000).toFixed(1)} µs), ratio ${median(ratios).toFixed(2)} × (quartiles ${q1.toFixed(2)}–${q3.toFixed(2)})`,
    );
  }

  // The agent turn through the whole capture: what share of a captured request the facts are.
  const { shutdown, installFetchCapture } = await startWithoutCapture();
  const { child, port } = await spawnServer(fileURLToPath(import.meta.url));
  const agentName = "agent turn (6k-token system, 3 × 60 KB tool results)";
  const agentBody = bodies()[agentName]!;
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  const request = async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-bench" }, body: agentBody });
    await response.json();
  };
  const uninstall = installFetchCapture({ captureContent: false });
  const COUNT = 200;
  for (let i = 0; i < 50; i++) await request();
  const walls: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < COUNT; i++) await request();
    walls.push(Number(process.hrtime.bigint() - t0) / COUNT);
  }
  uninstall();
  const e2e = median(walls);
  const facts = perRequestNs[agentName]!;
  console.log(
    `Captured agent-turn request over loopback: ${(e2e / 1000).toFixed(0)} µs; the insight facts are ${(facts / 1000).toFixed(1)} µs of it (${((100 * facts) / e2e).toFixed(1)} %)`,
  );
  child.kill();
  await shutdown();
  if (sink === 0) console.log("(no work)");
}
