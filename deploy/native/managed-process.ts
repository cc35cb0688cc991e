// A child process of the native stack: output to a log file, health polled with a deadline,
// stopped with SIGTERM then SIGKILL, and killed if the parent exits first.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  logFile: string;
  healthUrl: string;
  /** Outlives this Node process (`pnpm stack up`); otherwise killed when the parent exits. */
  detached?: boolean;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the parent dies without calling stop(): no binary is left behind.
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  readonly spec: ProcessSpec;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.isRunning) return;
    installExitHook();
    const log = openSync(this.spec.logFile, "a");
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ["ignore", log, log],
      detached: this.spec.detached ?? false,
    });
    closeSync(log);
    if (this.spec.detached) child.unref();
    else running.add(child);
    this.exited = new Promise((resolve) => {
      child.once("exit", () => {
        running.delete(child);
        resolve();
      });
      child.once("error", () => {
        running.delete(child);
        resolve();
      });
    });
    this.child = child;
  }

  /** Resolves once the health URL answers 2xx; rejects if the process exits or the deadline passes. */
  async waitHealthy(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited || !this.isRunning) {
        throw new Error(`${this.spec.name} exited during start-up: ${this.lastError()}\n${this.logTail()}`);
      }
      if (await answers(this.spec.healthUrl)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.spec.name} not healthy at ${this.spec.healthUrl} within ${deadlineMs} ms\n${this.logTail()}`);
  }

  async stop(graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning) return;
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  /** A crash: SIGKILL, no chance to flush or close anything. */
  async kill(): Promise<void> {
    if (!this.child || !this.isRunning) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** The log's last line that reads like an error (the reason a start failed), trimmed. */
  lastError(): string {
    const lines = this.logTail(50).split("\n");
    const line = lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1) ?? "";
    const reason = /"error": "([^"]+)"/.exec(line)?.[1] ?? /err="?([^"]+)"?/.exec(line)?.[1] ?? line;
    return reason.trim().slice(0, 300);
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.spec.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
