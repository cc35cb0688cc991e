// Step names come from spans: in the comparison and slow-vs-fast sections (tables and the lines
// below them) their control bytes are made visible on a terminal and their markup escaped in HTML.
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { tempDir } from "../sources/helpers.js";
import { agentRuns } from "./agent-runs.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const HOSTILE = "<img src=x onerror=alert(1)>\u001b[31mplan";
const hostile = (text: string) => text.replaceAll('"plan"', JSON.stringify(HOSTILE));

async function render(format: string, current: string, baseline: string): Promise<string> {
  let out = "";
  await main(["--file", current, "--baseline-file", baseline, "--format", format], {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: () => true },
    env: {},
  });
  return out;
}

describe("hostile step names in the comparison", () => {
  const baseline = tmp.write("h-base.jsonl", hostile(agentRuns({ runs: 12, seed: 51 })));
  const current = tmp.write("h-now.jsonl", hostile(agentRuns({ runs: 36, seed: 52, slowed: { step: 2, factor: 3, runs: (i) => i % 6 === 0 } })));

  it("never reach a terminal as escape sequences", async () => {
    const out = await render("table", current, baseline);
    expect(out).toContain("Steps compared");
    expect(out).toMatch(/slow runs spend .* more in solver step 3: <img/);
    expect(out).not.toContain("\u001b");
  });

  it("are text, not markup, in HTML, with the slow-vs-fast lines shown", async () => {
    const out = await render("html", current, baseline);
    expect(out).not.toContain("<img src=x");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out).toMatch(/<p class="caption">slow runs spend/);
  });
});
