import { describe, expect, it } from "vitest";
import { classifyEndpoint, looksLikeLlmPath } from "../../src/capture/endpoints.js";
import { providerFromHost } from "../../src/capture/providers.js";

describe("LLM endpoint recognition", () => {
  it.each([
    ["https://api.openai.com/v1/chat/completions", "openai.chat", "chat", "openai"],
    ["https://api.openai.com/v1/responses", "openai.responses", "chat", "openai"],
    ["https://api.openai.com/v1/completions", "openai.completions", "text_completion", "openai"],
    ["https://api.openai.com/v1/embeddings", "openai.embeddings", "embeddings", "openai"],
    ["https://api.anthropic.com/v1/messages", "anthropic.messages", "chat", "anthropic"],
    ["https://api.anthropic.com/v1/messages?beta=true", "anthropic.messages", "chat", "anthropic"],
    ["https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", "gemini", "generate_content", "gcp.gemini"],
    [
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
      "gemini",
      "generate_content",
      "gcp.vertex_ai",
    ],
    ["https://api.groq.com/openai/v1/chat/completions", "openai.chat", "chat", "groq"],
    ["https://api.x.ai/v1/chat/completions", "openai.chat", "chat", "x_ai"],
    ["https://api.deepseek.com/chat/completions", "openai.chat", "chat", "deepseek"],
    ["https://api.mistral.ai/v1/chat/completions", "openai.chat", "chat", "mistral_ai"],
    ["https://my.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21", "openai.chat", "chat", "azure.ai.openai"],
    // Not a well-known value: the price catalog's provider id.
    ["https://openrouter.ai/api/v1/chat/completions", "openai.chat", "chat", "openrouter"],
    ["https://api.together.xyz/v1/chat/completions", "openai.chat", "chat", "together"],
    ["https://api.cohere.com/v2/chat", "cohere.chat", "chat", "cohere"],
    // Unknown hosts: reported as OpenAI-compatible, server.address tells which.
    ["http://localhost:11434/v1/chat/completions", "openai.chat", "chat", "openai"],
  ])("%s", (url, api, operation, provider) => {
    expect(looksLikeLlmPath(url)).toBe(true);
    const endpoint = classifyEndpoint(new URL(url));
    expect(endpoint).toMatchObject({ api, operation, provider, serverAddress: new URL(url).hostname });
  });

  it("server port, Gemini model and stream flag from the path, Azure deployment as model", () => {
    expect(classifyEndpoint(new URL("http://localhost:11434/v1/chat/completions"))?.serverPort).toBe(11434);
    expect(classifyEndpoint(new URL("https://api.openai.com/v1/chat/completions"))?.serverPort).toBe(443);
    expect(classifyEndpoint(new URL("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"))).toMatchObject({
      pathModel: "gemini-2.5-flash",
      pathStream: true,
    });
    expect(classifyEndpoint(new URL("https://my.openai.azure.com/openai/deployments/gpt4o/chat/completions"))?.pathModel).toBe("gpt4o");
  });

  it.each([
    "https://api.openai.com/v1/models",
    "https://api.openai.com/v1/responses/resp_123",
    "https://api.anthropic.com/v1/messages/count_tokens",
    "https://example.com/",
    "https://example.com/search?q=/chat/completions",
  ])("not an LLM call: %s", (url) => {
    expect(looksLikeLlmPath(url) && classifyEndpoint(new URL(url)) !== undefined).toBe(false);
  });

  it("unknown hosts keep the API's own provider", () => {
    expect(providerFromHost("llm.internal", "anthropic")).toBe("anthropic");
    expect(providerFromHost("bedrock-runtime.us-east-1.amazonaws.com", "openai")).toBe("aws.bedrock");
    expect(providerFromHost("s3.amazonaws.com", "openai")).toBe("openai");
  });
});
