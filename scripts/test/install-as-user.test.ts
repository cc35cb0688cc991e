// The packages as a user gets them: `pnpm pack` (prepack builds), the tarballs installed with npm,
// pnpm and yarn into an app outside the workspace, a real `openai` call under
// `node --import @jotty/otel/register`, and `jotty-analyze` from the installed package reading the
// traces file back with the exact tokens and cost. The installs reach the npm registry for the
// third-party dependencies (the machine's package caches make repeats quick).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogPrices } from "@jotty/engine/engine";
import { jsonHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const PACKAGES = ["engine", "otel", "analyzer"] as const;
const INSTALL_TIMEOUT_MS = 600_000;
const OPENAI_VERSION = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.openai!;
const API_VERSION = "1.10.0";
const FIXTURE = "openai-chat/openai-text.json";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would have: no pnpm/npm script variables of this workspace's run. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|VITEST|NODE_OPTIONS$|JOTTY_|OTEL_)/.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

const tarList = async (tarball: string) => (await ok("tar", ["-tzf", tarball], root)).stdout.trim().split("\n");
const tarManifest = async (tarball: string) =>
  JSON.parse((await ok("tar", ["-xzOf", tarball, "package/package.json"], root)).stdout) as Record<string, unknown>;

const APP = `import OpenAI from "openai";
const client = new OpenAI({ baseURL: process.env.LLM_BASE_URL, apiKey: "sk-test-install-not-a-key" });
const answer = await client.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday." }] });
console.log(JSON.stringify(answer.usage));
`;

type Manager = "npm" | "pnpm" | "yarn";
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const managerBin: Record<Manager, string> = { npm: "npm", pnpm: "pnpm", yarn: bin("yarn") };
const installArgs: Record<Manager, string[]> = {
  npm: ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
  // CI=true makes pnpm insist on a lockfile the user's new app does not have yet.
  pnpm: ["install", "--no-frozen-lockfile", "--prefer-offline", "--reporter=silent"],
  yarn: ["install", "--non-interactive", "--prefer-offline", "--silent", "--no-progress"],
};
/** How each manager runs an installed bin. */
const execBin: Record<Manager, (name: string) => [string, string[]]> = {
  npm: (name) => ["npx", ["--no-install", name]],
  pnpm: (name) => ["pnpm", ["exec", name]],
  yarn: (name) => [bin("yarn"), ["--silent", "run", name]],
};

describe("installed from the packed tarballs, outside the workspace", () => {
  const work = mkdtempSync(join(tmpdir(), "jotty-install-"));
  const tarballs: Record<string, string> = {};
  let server: ReplayServer;

  beforeAll(async () => {
    const packs = join(work, "packs");
    mkdirSync(packs);
    for (const name of PACKAGES) await ok("pnpm", ["pack", "--pack-destination", packs], join(root, "packages", name), userEnv());
    for (const file of readdirSync(packs)) {
      const name = PACKAGES.find((p) => file.startsWith(`jotty-${p}-`));
      if (name !== undefined) tarballs[`@jotty/${name}`] = join(packs, file);
    }
    server = await startReplayServer();
    server.handle(jsonHandler(fixtureBytes(FIXTURE)));
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("packs one tarball per package with README, LICENSE and dist, no workspace: range, no .tsbuildinfo", async () => {
    expect(Object.keys(tarballs).sort()).toEqual(["@jotty/analyzer", "@jotty/engine", "@jotty/otel"]);
    const versions = new Set<unknown>();
    for (const [name, tarball] of Object.entries(tarballs)) {
      const files = await tarList(tarball);
      expect(files, name).toEqual(
        expect.arrayContaining(["package/README.md", "package/LICENSE", "package/package.json", "package/dist/index.js", "package/dist/index.d.ts"]),
      );
      expect(
        files.filter((file) => file.endsWith(".tsbuildinfo") || file.includes("/test/")),
        name,
      ).toEqual([]);
      const manifest = await tarManifest(tarball);
      expect(JSON.stringify(manifest), name).not.toContain("workspace:");
      expect(manifest).toMatchObject({ name, license: "Apache-2.0", publishConfig: { access: "public" }, engines: { node: expect.any(String) } });
      expect(manifest.repository).toBeDefined();
      versions.add(manifest.version);
    }
    expect(versions.size).toBe(1);
    const otel = await tarManifest(tarballs["@jotty/otel"]!);
    expect(otel.peerDependencies).toEqual({ "@opentelemetry/api": expect.stringMatching(/[<>^~]/) });
    expect(Object.keys(otel.dependencies as object)).not.toContain("@opentelemetry/api");
  });

  for (const manager of ["npm", "pnpm", "yarn"] as const) {
    it(
      `${manager}: an app's openai call under --import @jotty/otel/register, then jotty-analyze reports its exact tokens and cost`,
      async () => {
        const app = join(work, `app-${manager}`);
        mkdirSync(app);
        const file = (name: string) => `file:${tarballs[name]}`;
        const manifest = {
          name: `user-app-${manager}`,
          private: true,
          type: "module",
          dependencies: {
            "@jotty/otel": file("@jotty/otel"),
            "@jotty/analyzer": file("@jotty/analyzer"),
            "@opentelemetry/api": API_VERSION,
            openai: OPENAI_VERSION,
          },
          // @jotty/engine is not on the registry until the first release: each manager's way of
          // pointing a dependency of a dependency at a local tarball.
          overrides: { "@jotty/engine": file("@jotty/engine") },
          pnpm: { overrides: { "@jotty/engine": file("@jotty/engine") } },
          resolutions: { "@jotty/engine": file("@jotty/engine") },
        };
        writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
        writeFileSync(join(app, "app.mjs"), APP);
        await ok(managerBin[manager], installArgs[manager], app);

        const traces = join(app, "traces.jsonl");
        const env = userEnv({
          LLM_BASE_URL: `${server.baseUrl}/v1`,
          JOTTY_TRACES_FILE: traces,
          OTEL_TRACES_EXPORTER: "none",
          OTEL_METRICS_EXPORTER: "none",
          OTEL_SERVICE_NAME: "user-app",
        });
        const appRun = await ok(process.execPath, ["--import", "@jotty/otel/register", "app.mjs"], app, env);
        const usage = JSON.parse(appRun.stdout) as { prompt_tokens: number; completion_tokens: number };
        expect(appRun.stderr).toBe("");

        const [command, args] = execBin[manager]("jotty-analyze");
        const version = await ok(command, [...args, "--version"], app);
        expect(version.stdout.trim()).toBe((await tarManifest(tarballs["@jotty/analyzer"]!)).version);
        const analyzed = await ok(command, [...args, "--file", traces, "--format", "json"], app);
        const report = JSON.parse(analyzed.stdout) as {
          llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number; byModel: { provider: string; model: string }[] };
        };
        const rates = catalogPrices()("openai", "gpt-4.1-nano-2025-04-14")!;
        expect(report.llm).toMatchObject({ calls: 1, inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens });
        expect(report.llm.byModel).toEqual([expect.objectContaining({ provider: "openai", model: "gpt-4.1-nano" })]);
        expect(report.llm.costUsd).toBeCloseTo(usage.prompt_tokens * rates.input + usage.completion_tokens * rates.output, 12);
        expect(readFileSync(traces, "utf8")).not.toContain("sk-test-install-not-a-key");
      },
      INSTALL_TIMEOUT_MS,
    );
  }

  it(
    "npx runs the analyzer from the tarballs without an app (the dlx way)",
    async () => {
      const cwd = join(work, "dlx");
      mkdirSync(cwd);
      const result = await ok(
        "npx",
        ["--yes", "--package", tarballs["@jotty/engine"]!, "--package", tarballs["@jotty/analyzer"]!, "jotty-analyze", "--version"],
        cwd,
        userEnv(),
      );
      expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    },
    INSTALL_TIMEOUT_MS,
  );
});
