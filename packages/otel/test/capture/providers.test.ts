// The host → provider table against the price catalog (@pydantic/genai-prices): every provider
// the catalog prices by API host has a host in the table whose provider name the catalog knows
// as that provider, and every host of the table the catalog knows maps to the catalog's provider.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { catalogProviderId } from "@jotty/engine/prices";
import { describe, expect, it } from "vitest";
import { PROVIDER_HOSTS, providerFromHost } from "../../src/capture/providers.js";

// The catalog is a dependency of @jotty/engine; it has no API listing its providers, so they are
// read from its bundled data (each provider's id and api_pattern).
const requireFromEngine = createRequire(import.meta.resolve("@jotty/engine/prices"));
type GenaiPrices = typeof import("@pydantic/genai-prices");
const genaiPrices = requireFromEngine("@pydantic/genai-prices") as GenaiPrices;
const bundle = readFileSync(requireFromEngine.resolve("@pydantic/genai-prices"), "utf8");
const catalogProviders = [...bundle.matchAll(/\bid:\s*"([^"]+)",\s*name:\s*"[^"]*",(?:(?!\bid:\s*")[\s\S]){0,800}?api_pattern:\s*"([^"]+)"/g)].map((m) => ({
  id: m[1]!,
  pattern: m[2]!,
}));

/** Catalog providers told apart by the URL path under a shared host (Hugging Face's router, Cloudflare's gateway): a host table cannot. */
const PATH_ROUTED = (id: string) => id.startsWith("huggingface_") || id === "cloudflare";

// Bedrock's regional hosts are matched by a rule of their own, outside the table.
const hosts = [...PROVIDER_HOSTS.exact.keys(), ...PROVIDER_HOSTS.suffixes.map(([suffix]) => `example${suffix}`), "bedrock-runtime.us-east-1.amazonaws.com"];
const catalogIdOfHost = (host: string) => genaiPrices.findProvider({ providerApiUrl: `https://${host}/v1` })?.id;

describe("the host → provider table and the price catalog", () => {
  it("reads the catalog's providers", () => {
    expect(catalogProviders.length).toBeGreaterThan(30);
    expect(catalogProviders.map((p) => p.id)).toEqual(expect.arrayContaining(["openai", "anthropic", "together", "cohere", "azure"]));
  });

  it.each(catalogProviders.filter((p) => !PATH_ROUTED(p.id)))("catalog provider $id has a host in the table", ({ id }) => {
    const covering = hosts.filter((h) => catalogIdOfHost(h) === id);
    expect(covering, `no host of the table matches ${id}'s api_pattern`).not.toEqual([]);
    for (const host of covering) expect(catalogProviderId(providerFromHost(host, "openai")), host).toBe(id);
  });

  it("every host of the table the catalog prices maps to the catalog's provider", () => {
    for (const host of hosts) {
      const id = catalogIdOfHost(host);
      if (id !== undefined) expect(catalogProviderId(providerFromHost(host, "openai")), host).toBe(id);
    }
  });
});
