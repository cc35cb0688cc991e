// `pnpm stack up|status|down` (deploy/native/stack-cli.ts) starts detached processes that outlive
// the CLI, reports them, and stops them all. Run on free ports beside anything else.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { isProcessAlive as alive } from "../native/process-alive.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const cli = fileURLToPath(new URL("../native/stack-cli.ts", import.meta.url));
const runDir = mkdtempSync(join(tmpdir(), "jotty-stack-cli-"));
const env = { ...process.env, JOTTY_STACK_RUN_DIR: runDir, JOTTY_STACK_DATA_DIR: join(runDir, "data"), JOTTY_STACK_PORTS: "free" };

async function stack(command: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, command], { env: { ...env, ...extraEnv }, timeout: 90_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: (e.stdout ?? "") + (e.stderr ?? "") };
  }
}

/** Reads the whole body, so no open request holds up the servers' graceful shutdown. */
async function statusOf(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

let pids: number[] = [];
afterAll(() => {
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
  rmSync(runDir, { recursive: true, force: true });
});

describe.skipIf(skipStackTests)("pnpm stack up|status|down", () => {
  it("runs the stack detached, reports it, and stops every process", async () => {
    const up = await stack("up");
    expect(up.code, up.out).toBe(0);
    expect(up.out).toMatch(/stack up/);
    const state = JSON.parse(readFileSync(join(runDir, "stack.json"), "utf8")) as {
      pids: Record<string, number>;
      urls: Record<string, string>;
    };
    pids = Object.values(state.pids);
    expect(Object.keys(state.pids).sort()).toEqual(["collector", "jaeger", "prometheus"]);
    // The CLI has exited; the stack still answers.
    expect(pids.every(alive)).toBe(true);
    expect(await statusOf(`${state.urls.jaeger}/api/v3/services`)).toBe(200);
    expect(await statusOf(`${state.urls.prometheus}/-/ready`)).toBe(200);

    const again = await stack("up");
    expect(again.out).toMatch(/already running/);

    const status = await stack("status");
    expect(status.code).toBe(0);
    expect(status.out.match(/ running/g)).toHaveLength(3);

    const down = await stack("down");
    expect(down.code).toBe(0);
    expect(down.out).toMatch(/3 processes stopped/);
    expect(pids.filter(alive)).toEqual([]);
    expect((await stack("status")).code).toBe(1);
  }, 120_000);
});

describe("pnpm stack usage", () => {
  it.skipIf(skipStackTests)("refuses a JOTTY_JAEGER_UI folder that is not a built UI, with one line", async () => {
    const result = await stack("up", { JOTTY_JAEGER_UI: runDir });
    expect(result.code).toBe(1);
    expect(result.out.trim().split("\n")).toEqual([`stack: JOTTY_JAEGER_UI=${runDir} is not a built Jaeger UI (no index.html there)`]);
  });

  it("prints one usage line and exits 2 for an unknown command", async () => {
    const result = await stack("sideways");
    expect(result.code).toBe(2);
    expect(result.out.trim()).toBe("usage: pnpm stack up|down|status");
  });
});
