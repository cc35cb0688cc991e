// The request scan behind jotty.llm.prompt.* and jotty.llm.request.tool_result_*: boundaries
// at tools, system and each message, a cumulative fingerprint that only depends on what came
// before, UTF-8 sizes, and tool results named after the calls they answer.
import { describe, expect, it } from "vitest";
import { requestShape, topLevelSpans } from "../../src/capture/request-shape.js";
import { retryAfterMs } from "../../src/capture/response-status.js";

const shape = (body: object) => {
  const text = JSON.stringify(body);
  return requestShape(text, JSON.parse(text) as Record<string, unknown>);
};

describe("requestShape", () => {
  it("OpenAI Chat: one boundary per message (then tools first), fingerprints shared by the common prefix", () => {
    const messages = [
      { role: "system", content: 'Be brief. "Quoted" \\ and ünïcödé' },
      { role: "user", content: "hi" },
    ];
    const a = shape({ model: "m", tools: [{ type: "function", function: { name: "search" } }], messages, max_tokens: 64 });
    const b = shape({
      model: "m",
      tools: [{ type: "function", function: { name: "search" } }],
      messages: [...messages, { role: "assistant", content: "hello" }],
      temperature: 1,
    });
    expect(a["jotty.llm.prompt.prefix_kinds"]).toEqual(["tools", "system", "user"]);
    expect(b["jotty.llm.prompt.prefix_kinds"]).toEqual(["tools", "system", "user", "assistant"]);
    expect((b["jotty.llm.prompt.prefix_hashes"] as string[]).slice(0, 3)).toEqual(a["jotty.llm.prompt.prefix_hashes"]);
    const bytes = a["jotty.llm.prompt.prefix_bytes"] as number[];
    const tools = Buffer.byteLength(JSON.stringify([{ type: "function", function: { name: "search" } }]));
    expect(bytes[0]).toBe(tools);
    expect(bytes[1]).toBe(tools + Buffer.byteLength(JSON.stringify(messages[0])));
    expect(a["jotty.llm.prompt.prefix_tokens"]).toEqual(bytes.map((n) => Math.ceil(n / 4)));
    expect(a["gen_ai.request.max_tokens"]).toBe(64);
  });

  it("Anthropic: system, then messages; tool_result blocks sized and named after their tool_use", () => {
    const s = shape({
      model: "claude",
      max_tokens: 100,
      system: [{ type: "text", text: "rules", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "tool_use", id: "tu1", name: "weather", input: { city: "Paris" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "tu1", content: [{ type: "text", text: "sunny, 23 °C" }] }] },
      ],
    });
    expect(s["jotty.llm.prompt.prefix_kinds"]).toEqual(["system", "user", "assistant", "user"]);
    expect(s["jotty.llm.request.tool_result_names"]).toEqual(["weather"]);
    expect(s["jotty.llm.request.tool_result_bytes"]).toEqual([Buffer.byteLength("sunny, 23 °C")]);
  });

  it("OpenAI Chat and Responses tool results, named from the calls they answer", () => {
    const chat = shape({
      model: "m",
      messages: [
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "search", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "x".repeat(1000) },
      ],
    });
    expect([chat["jotty.llm.request.tool_result_names"], chat["jotty.llm.request.tool_result_bytes"]]).toEqual([["search"], [1000]]);
    const responses = shape({
      model: "m",
      instructions: "be brief",
      input: [
        { type: "function_call", call_id: "f1", name: "lookup", arguments: "{}" },
        { type: "function_call_output", call_id: "f1", output: "42" },
      ],
    });
    expect(responses["jotty.llm.prompt.prefix_kinds"]).toEqual(["system", "function_call", "function_call_output"]);
    expect(responses["jotty.llm.request.tool_result_names"]).toEqual(["lookup"]);
  });

  it("a body that is not a JSON object gives no prefix, and never throws on truncated text", () => {
    expect(topLevelSpans("[1,2]")).toBeUndefined();
    expect(() => topLevelSpans('{"messages":[{"role":"user","content":"unterminated')).not.toThrow();
    expect(requestShape("", {})).toEqual({});
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");
  it("prefers retry-after-ms, then retry-after in seconds or as an HTTP date", () => {
    expect(retryAfterMs("20", "1", now)).toBe(20);
    expect(retryAfterMs(undefined, "2", now)).toBe(2000);
    expect(retryAfterMs(undefined, "Mon, 07 Dec 2026 12:00:03 GMT", now)).toBe(3000);
    expect(retryAfterMs(undefined, "soon", now)).toBeUndefined();
    expect(retryAfterMs("-5", undefined, now)).toBeUndefined();
  });
});
