// Spawns deploy/test/app/agent.mjs under `--import @jotty/otel/register` (needs `pnpm build`)
// and talks to it over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { repoDir } from "../../native/binaries.ts";

const agentScript = fileURLToPath(new URL("../app/agent.mjs", import.meta.url));

export interface AgentStats {
  type: "stats";
  stats: { exportedSpans: number; droppedSpans: number; failedExports: number };
  heapUsed: number;
  rss: number;
  errors: number;
  runsDone: number;
}

type Reply = { type: "ready" } | { type: "ran"; traceId: string } | { type: "load"; on: boolean } | AgentStats;

export class AgentProcess {
  stderr = "";
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    this.child = fork(agentScript, [], {
      cwd: repoDir,
      execArgv: ["--expose-gc", "--import", "@jotty/otel/register"],
      env: { ...process.env, JOTTY_CAPTURE_FETCH: "false", OTEL_METRICS_EXPORTER: "none", ...env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdout!.resume();
    this.exited = once(this.child, "exit").then(([code]) => code as number | null);
  }

  /** Lines of stderr matching `pattern`. */
  stderrLines(pattern: RegExp): string[] {
    return this.stderr.split("\n").filter((line) => pattern.test(line));
  }

  private async request<T extends Reply["type"]>(type: T, message?: object): Promise<Extract<Reply, { type: T }>> {
    const reply = new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      const onMessage = (m: Reply) => {
        if (m.type !== type) return;
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        resolve(m as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => {
        this.child.off("message", onMessage);
        reject(new Error(`agent exited (code ${code}) before replying "${type}"; stderr:\n${this.stderr}`));
      };
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
    });
    if (message) this.child.send(message);
    return reply;
  }

  ready(): Promise<unknown> {
    return this.request("ready");
  }

  async run(label = "run"): Promise<string> {
    return (await this.request("ran", { cmd: "run", label })).traceId;
  }

  async load(on: boolean): Promise<void> {
    await this.request("load", { cmd: "load", on });
  }

  stats(): Promise<AgentStats> {
    return this.request("stats", { cmd: "stats" });
  }

  /** Flushes (shutdown()) and waits for a normal exit; returns the final stats and exit code. */
  async exit(): Promise<{ stats: AgentStats; code: number | null }> {
    const stats = await this.request("stats", { cmd: "exit" });
    return { stats, code: await this.exited };
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}
