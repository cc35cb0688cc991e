// gen_ai.provider.name from the request's host, using the GenAI conventions' well-known values,
// else the price catalog's (@pydantic/genai-prices) provider id, so that every host the catalog
// prices gets its prices (a test checks this table against the catalog's providers). Hosts not
// listed keep the provider implied by the API shape (OpenAI-compatible servers report `openai`,
// as the conventions ask); server.address then tells which server it really was.

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
  // Priced by the catalog under its own ids (no well-known GenAI value).
  ["api.together.ai", "together"],
  ["api.together.xyz", "together"],
  ["api.fireworks.ai", "fireworks"],
  ["openrouter.ai", "openrouter"],
  ["api.openrouter.ai", "openrouter"],
  ["api.cerebras.ai", "cerebras"],
  ["api.novita.ai", "novita"],
  ["api.avian.io", "avian"],
  ["api.arcee.ai", "arcee"],
  ["inference.baseten.co", "baseten"],
  ["api.cursor.com", "cursor"],
  ["api.doubleword.ai", "doubleword"],
  ["api.githubcopilot.com", "github-copilot"],
  ["api.minimax.io", "minimax"],
  ["api.minimaxi.com", "minimax"],
  ["api.moonshot.ai", "moonshotai"],
  ["api.moonshot.cn", "moonshotai"],
  ["oai.endpoints.kepler.ai.cloud.ovh.net", "ovhcloud"],
  ["api.quicksilverpro.io", "quicksilverpro"],
  ["api.typesafe.ai", "typesafe"],
  ["api.voyageai.com", "voyageai"],
  ["api.z.ai", "zai"],
  ["open.bigmodel.cn", "zhipuai"],
]);

const SUFFIX_HOSTS: ReadonlyArray<readonly [string, string]> = [
  ["-aiplatform.googleapis.com", "gcp.vertex_ai"],
  [".openai.azure.com", "azure.ai.openai"],
  [".cognitiveservices.azure.com", "azure.ai.openai"],
  [".azure-api.net", "azure.ai.openai"],
  [".services.ai.azure.com", "azure.ai.inference"],
  [".modal.run", "modal"],
  [".modal.direct", "modal"],
  [".watsonx.ai", "ibm.watsonx.ai"],
];

/** The table itself (for the test that checks it against the catalog): exact hosts, and host suffixes. */
export const PROVIDER_HOSTS = { exact: EXACT_HOSTS, suffixes: SUFFIX_HOSTS } as const;

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
