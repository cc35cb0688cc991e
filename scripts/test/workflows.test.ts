// The GitHub workflows cannot run here: actionlint (built from its Go module by
// scripts/install-actionlint.sh, which .ci/run calls) checks them as GitHub would read them —
// syntax, expressions, action inputs, job graph — and the test checks what they promise.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../../", import.meta.url));
const version = /^version=(\S+)$/m.exec(readFileSync(join(root, "scripts/install-actionlint.sh"), "utf8"))![1]!;
const actionlint = join(process.env.JOTTY_CACHE_DIR ?? join(homedir(), ".cache/jotty"), "tools", `actionlint-${version}`, "actionlint");
const missing = !existsSync(actionlint);
if (missing && process.env.CI !== "true") console.log(`workflows: skipped, actionlint is not built (bash scripts/install-actionlint.sh)`);
const workflows = ["ci.yml", "release.yml"].map((name) => join(root, ".github/workflows", name));

async function lint(files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(actionlint, ["-no-color", ...files], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

describe.skipIf(missing && process.env.CI !== "true")("GitHub workflows", () => {
  it("actionlint reports a broken workflow (the check can fail)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jotty-actionlint-"));
    try {
      const broken = join(dir, "broken.yml");
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      writeFileSync(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n");
      const result = await lint([broken]);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/matrix/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("actionlint accepts ci.yml and release.yml", async () => {
    expect(await lint(workflows)).toEqual({ code: 0, output: "" });
  });

  it("CI runs .ci/run on pushes and pull requests, on Node 22 and 24", () => {
    const ci = parse(readFileSync(workflows[0]!, "utf8")) as {
      on: Record<string, unknown>;
      jobs: { test: { strategy: { matrix: { node: string[] } }; steps: { run?: string }[] } };
    };
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.jobs.test.strategy.matrix.node.map((v) => v.split(".")[0])).toEqual(["22", "24"]);
    expect(ci.jobs.test.steps.map((s) => s.run)).toContain("bash .ci/run");
  });

  it("a version tag publishes with provenance", () => {
    const release = parse(readFileSync(workflows[1]!, "utf8")) as {
      on: { push: { tags: string[] } };
      permissions: Record<string, string>;
      jobs: { publish: { steps: { run?: string; env?: Record<string, string> }[] } };
    };
    expect(release.on.push.tags).toEqual(["v*.*.*"]);
    expect(release.permissions["id-token"]).toBe("write");
    const publish = release.jobs.publish.steps.find((s) => s.run?.includes(" publish "));
    expect(publish?.env?.NPM_CONFIG_PROVENANCE).toBe("true");
  });
});
