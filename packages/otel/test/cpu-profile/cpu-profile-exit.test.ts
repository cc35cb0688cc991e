// A real process (built dist/): the profile is written when the process ends by itself, and the
// profiler keeps nothing alive.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { CpuProfile } from "../../src/cpu-profile/index.js";
import { expectValidCpuProfile } from "./assertions.js";

const dist = fileURLToPath(new URL("../../dist/cpu-profile/index.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("writes the .cpuprofile at process exit without stopCpuProfiler(), and lets the process end", () => {
  const script = `
    import { startCpuProfiler } from ${JSON.stringify(dist)};
    startCpuProfiler();
    function jottyExitBusy(ms) {
      const end = Date.now() + ms;
      let x = 0;
      while (Date.now() < end) for (let i = 0; i < 100000; i++) x = (x * 31 + i) % 1000003;
      return x;
    }
    jottyExitBusy(80);
    await new Promise((resolve) => setTimeout(resolve, 20));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, JOTTY_CPU_PROFILE_DIR: dir, OTEL_SERVICE_NAME: "exit app" },
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const files = readdirSync(dir);
  expect(files).toEqual([expect.stringMatching(new RegExp(`^exit_app-${run.pid}-\\d{8}T\\d{6}Z\\.cpuprofile$`))]);
  const profile = JSON.parse(readFileSync(join(dir, files[0]!), "utf8")) as CpuProfile;
  expectValidCpuProfile(profile);
  expect(profile.nodes.some((n) => n.callFrame.functionName === "jottyExitBusy" && (n.hitCount ?? 0) > 10)).toBe(true);
});

it("stays off with one stderr line when node already runs --cpu-prof (whose session would print every chunk)", () => {
  const script = `
    import { startCpuProfiler } from ${JSON.stringify(dist)};
    if (startCpuProfiler() !== undefined) throw new Error("started under --cpu-prof");
  `;
  const run = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", join(dir, "node-prof"), "--input-type=module", "-e", script], {
    env: { ...process.env, JOTTY_CPU_PROFILE_DIR: join(dir, "ours") },
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(run.status).toBe(0);
  expect(run.stderr).toBe("@jotty/otel CPU profile: not started: node runs with --cpu-prof, which already writes a CPU profile\n");
  expect(readdirSync(join(dir, "node-prof"))).toHaveLength(1); // node's own profile is untouched
});

it("names the file after the app's package when OTEL_SERVICE_NAME is not set, as the SDK names the service", () => {
  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "my-agent" }));
  const script = `import { startCpuProfiler, stopCpuProfiler } from ${JSON.stringify(dist)}; startCpuProfiler(); console.log(stopCpuProfiler());`;
  const env: NodeJS.ProcessEnv = { ...process.env, JOTTY_CPU_PROFILE_DIR: join(dir, "named") };
  delete env.OTEL_SERVICE_NAME;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, env, encoding: "utf8", timeout: 20_000 });
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toMatch(new RegExp(`/named/my-agent-${run.pid}-\\d{8}T\\d{6}Z\\.cpuprofile$`));
  expect(existsSync(run.stdout.trim())).toBe(true);
});
