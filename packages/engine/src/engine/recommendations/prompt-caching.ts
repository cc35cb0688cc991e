// prompt-caching: calls that resend a prompt prefix an earlier call of the same model already
// sent (jotty.llm.prompt.prefix_hashes), at least MIN_CACHEABLE_TOKENS long, without reading it
// from the provider's cache; and cache writes that were never read back. Saving: the resent
// tokens at the full input price minus the cached-read price (the catalog's), and their prefill
// time (estimates.ts); for writes never read, the write premium over the input price.

import { EXAMPLE_TRACES, MIN_CACHEABLE_TOKENS } from "../constants.js";
import { Keyed } from "../keyed.js";
import { ms, usd } from "../numbers.js";
import { prefillSavingNs } from "./estimates.js";
import { Role, type SpanNode } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue, PartsNotMergeable } from "../merge-state.js";
import { addExample, type Advisor, type AdvisorContext, type Draft, type Example } from "./types.js";

/** Prefix fingerprints remembered per model (the window's first ones). */
const MAX_PREFIXES = 100_000;

interface Group {
  provider: string;
  model: string;
  pricedModel: string;
  seen: Set<string>;
  calls: number;
  resentCalls: number;
  resentTokens: number;
  savingNs: number;
  largestPrefix: number;
  writeTokens: number;
  readTokens: number;
  examples: Example[];
  writeExamples: Example[];
}

export class PromptCachingAdvisor implements Advisor {
  private readonly groups = new Keyed<Group>();

  constructor(private readonly ctx: AdvisorContext) {}

  addTrace(f: TraceFacts): void {
    const calls = f.trace.nodes.filter((n) => n.role === Role.Llm && !n.error).sort((a, b) => a.start - b.start);
    for (const node of calls) this.addCall(f.traceId, node);
  }

  private addCall(traceId: string, node: SpanNode): void {
    const llm = node.llm!;
    let g = this.groups.get(llm.provider, llm.model);
    if (g === undefined) {
      g = {
        provider: llm.provider,
        model: llm.model,
        pricedModel: llm.pricedModel,
        seen: new Set(),
        calls: 0,
        resentCalls: 0,
        resentTokens: 0,
        savingNs: 0,
        largestPrefix: 0,
        writeTokens: 0,
        readTokens: 0,
        examples: [],
        writeExamples: [],
      };
      this.groups.set(llm.provider, llm.model, g);
    }
    g.calls++;
    g.readTokens += llm.cacheReadTokens;
    if (llm.cacheWriteTokens > 0) {
      g.writeTokens += llm.cacheWriteTokens;
      addExample(g.writeExamples, traceId, node.spanId, EXAMPLE_TRACES);
    }
    const { prefixHashes: hashes, prefixTokens } = node.call!;
    if (hashes.length === 0 || prefixTokens.length !== hashes.length) return;
    let shared = -1;
    for (let k = hashes.length - 1; k >= 0; k--) {
      if (g.seen.has(hashes[k]!)) {
        shared = k;
        break;
      }
    }
    for (const h of hashes) if (g.seen.size < MAX_PREFIXES) g.seen.add(h);
    if (shared < 0) return;
    // The estimate (bytes / 4) scaled to the tokens the provider counted for the whole request.
    const estimated = prefixTokens[shared]!;
    const whole = prefixTokens[prefixTokens.length - 1]!;
    const tokens = llm.inputTokens > 0 && whole > 0 ? Math.min(llm.inputTokens, (llm.inputTokens * estimated) / whole) : estimated;
    const uncached = tokens - llm.cacheReadTokens;
    if (uncached < MIN_CACHEABLE_TOKENS) return;
    g.resentCalls++;
    g.resentTokens += uncached;
    g.savingNs += prefillSavingNs(uncached, llm.inputTokens, node.end - node.start);
    g.largestPrefix = Math.max(g.largestPrefix, Math.round(tokens));
    addExample(g.examples, traceId, node.spanId, EXAMPLE_TRACES);
  }

  state(): unknown {
    return this.groups;
  }

  /**
   * Whether a call resent a prefix depends on every call before it, so a later part merges only
   * when it shares no prefix with the earlier parts (and the remembered prefixes stay under the
   * bound): then each of its calls saw exactly what it would have seen in one pass.
   */
  merge(state: unknown): void {
    const later = state as Keyed<Group>;
    for (const g of Keyed.valuesOf(later)) {
      const held = this.groups.get(g.provider, g.model);
      if (held === undefined || held.seen.size === 0) continue;
      if (held.seen.size + g.seen.size > MAX_PREFIXES || [...g.seen].some((h) => held.seen.has(h))) {
        throw new PartsNotMergeable(`prompt prefixes of ${g.provider} ${g.model} recur across the parts`);
      }
    }
    mergeValue(this.groups, later, { max: ["largestPrefix"] });
  }

  findings(): Draft[] {
    const out: Draft[] = [];
    for (const g of this.groups.values()) {
      const rates = this.ctx.prices?.(g.provider, g.pricedModel);
      const target = `${g.provider} ${g.model}`;
      if (g.resentCalls > 0) {
        const perToken = rates !== undefined && rates.cacheRead !== undefined ? Math.max(0, rates.input - rates.cacheRead) : 0;
        out.push({
          kind: "prompt-caching",
          target,
          estimatedSavingMs: ms(g.savingNs),
          estimatedSavingUsd: usd(g.resentTokens * perToken),
          evidence:
            `${g.resentCalls} of ${g.calls} call(s) resent a prefix an earlier call had sent (up to ${g.largestPrefix} tokens), ` +
            `${Math.round(g.resentTokens)} tokens in all, without reading them from the cache` +
            (rates?.cacheRead !== undefined ? ` ($${usd(rates.input * 1e6)} vs $${usd(rates.cacheRead * 1e6)} cached, per million)` : ""),
          cause: `the same long prompt prefix (system prompt, tools, earlier messages) went to ${g.model} on every call and was billed and processed in full each time`,
          fix: cachingFix(g.provider),
          examples: g.examples,
        });
      }
      if (g.writeTokens > 0 && g.readTokens === 0) {
        const premium = rates !== undefined && rates.cacheWrite !== undefined ? Math.max(0, rates.cacheWrite - rates.input) : 0;
        out.push({
          kind: "prompt-caching",
          target: `${target} (cache writes never read)`,
          estimatedSavingMs: 0,
          estimatedSavingUsd: usd(g.writeTokens * premium),
          evidence: `${g.writeTokens} tokens written to the cache by ${g.calls} call(s), none read back in the window`,
          cause:
            "cache breakpoints are set on a prefix that changes between calls (or calls come further apart than the cache lives), so every write is wasted",
          fix: "move the cache_control breakpoint to the end of the part that stays the same (system prompt, tools), or drop it where nothing is reused within the cache's lifetime",
          examples: g.writeExamples,
        });
      }
    }
    return out;
  }
}

/** What to change, per provider: the caching mechanisms differ. */
export function cachingFix(provider: string): string {
  switch (provider) {
    case "anthropic":
    case "aws.bedrock":
      return 'add cache_control: {type: "ephemeral"} breakpoints at the end of the stable prefix (the last tool, the last system block; up to 4), keep that prefix byte-identical between calls; at least 1,024 tokens (2,048 on Haiku)';
    case "openai":
    case "azure.ai.openai":
      return "OpenAI caches a stable prefix of ≥ 1,024 tokens automatically: put the static parts (tools, system prompt) first and keep them byte-identical, move per-call data to the end, and pass prompt_cache_key so calls sharing the prefix reach the same cache";
    case "gcp.gemini":
    case "gcp.vertex_ai":
      return "keep the shared prefix first and identical (implicit caching), or create a cachedContent for it and pass its name";
    default:
      return "keep the shared prefix first and byte-identical between calls, and turn on the provider's prompt caching";
  }
}
