// gen_ai.provider.name from the request's host, using the GenAI conventions' well-known values.
// Hosts not listed keep the provider implied by the API shape (OpenAI-compatible servers report
// `openai`, as the conventions ask); server.address then tells which server it really was.

const EXACT_HOSTS: ReadonlyMap<string, string> = new Map([
  ["api.openai.com", "openai"],
  ["api.anthropic.com", "anthropic"],
  ["generativelanguage.googleapis.com", "gcp.gemini"],
  ["aiplatform.googleapis.com", "gcp.vertex_ai"],
  ["api.groq.com", "groq"],
  ["api.x.ai", "x_ai"],
  ["api.deepseek.com", "deepseek"],
  ["api.mistral.ai", "mistral_ai"],
  ["api.perplexity.ai", "perplexity"],
  ["api.cohere.com", "cohere"],
  ["api.cohere.ai", "cohere"],
  ["models.inference.ai.azure.com", "azure.ai.inference"],
]);

const SUFFIX_HOSTS: ReadonlyArray<readonly [string, string]> = [
  ["-aiplatform.googleapis.com", "gcp.vertex_ai"],
  [".openai.azure.com", "azure.ai.openai"],
  [".services.ai.azure.com", "azure.ai.inference"],
  [".watsonx.ai", "ibm.watsonx.ai"],
];

const known = new Map<string, string | null>();

export function providerFromHost(hostname: string, fallback: string): string {
  let provider = known.get(hostname);
  if (provider === undefined) {
    provider = lookUp(hostname.toLowerCase());
    if (known.size < 1024) known.set(hostname, provider);
  }
  return provider ?? fallback;
}

function lookUp(host: string): string | null {
  const exact = EXACT_HOSTS.get(host);
  if (exact !== undefined) return exact;
  if (host.startsWith("bedrock-runtime.") && host.endsWith(".amazonaws.com")) return "aws.bedrock";
  for (const [suffix, provider] of SUFFIX_HOSTS) {
    if (host.endsWith(suffix)) return provider;
  }
  return null;
}
