// deploy/native/build.sh: reuses cached binaries, and without Go says so in one line.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { deployDir, readVersions } from "../native/binaries.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const script = join(deployDir, "native", "build.sh");
const emptyCache = mkdtempSync(join(tmpdir(), "jotty-build-sh-"));
afterAll(() => rmSync(emptyCache, { recursive: true, force: true }));

async function build(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("bash", [script], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const pathWithoutGo = [...(process.env.PATH ?? "").split(delimiter).filter((dir) => dir && !existsSync(join(dir, "go")))].join(delimiter);
// Go installed into /usr/bin (Debian's golang-go) cannot be hidden without hiding bash's tools.
const goHidden = !existsSync("/usr/bin/go") && !existsSync("/bin/go");

describe("deploy/native/build.sh", () => {
  it.skipIf(!goHidden)("fails with one clear line when a build is needed and Go is missing", async () => {
    const result = await build({ ...process.env, PATH: pathWithoutGo, JOTTY_STACK_CACHE: emptyCache, JOTTY_GO_INSTALL_DIR: join(emptyCache, "no-go") });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "deploy/native/build.sh: Go is not installed (needed once to build the collector, Jaeger and Prometheus; see docs/stack.md)",
    ]);
  });

  it.skipIf(!goHidden)("finds Go in its install dir when it is not on PATH, and says what the first build costs", async () => {
    // A stand-in `go` that fails at once: enough to see build.sh find it and announce the build.
    const goDir = join(emptyCache, "go-bin");
    mkdirSync(goDir, { recursive: true });
    writeFileSync(join(goDir, "go"), "#!/bin/sh\necho 'stand-in go' >&2\nexit 3\n", { mode: 0o755 });
    const result = await build({ ...process.env, PATH: pathWithoutGo, JOTTY_STACK_CACHE: emptyCache, JOTTY_GO_INSTALL_DIR: goDir });
    expect(result.stdout).toMatch(/^First build of the native stack: about \d+ min .*GB of disk/m);
    expect(result.stderr).toContain("stand-in go");
    expect(result.code).not.toBe(0);
  });

  it.skipIf(skipStackTests)("reuses the cached binaries, keyed by version", async () => {
    const v = readVersions();
    const result = await build(process.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`collector ${v.OTELCOL_VERSION}: cached`);
    expect(result.stdout).toContain(`jaeger ${v.JAEGER_VERSION}: cached`);
    expect(result.stdout).toContain(`prometheus ${v.PROMETHEUS_VERSION}: cached`);
    expect(result.stdout).toMatch(/native stack binaries ready in \d+\.\ds/);
  });
});
