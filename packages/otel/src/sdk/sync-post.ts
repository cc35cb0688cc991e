// Runs in a throw-away child Node process: reads the body from stdin and POSTs it.
const POST_SCRIPT = `
const [url, headers] = JSON.parse(process.env.JOTTY_SYNC_POST_TARGET);
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const res = await fetch(url, { method: "POST", headers, body: Buffer.concat(chunks) });
process.exit(res.ok ? 0 : 1);
`;

/**
 * POSTs a body and waits for the answer synchronously, by running the request in a child
 * process. Only the process "exit" hook needs this: nothing asynchronous can run there, and
 * spans still queued for OTLP would otherwise be lost on process.exit().
 */
export function postSync(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): boolean {
  // Taken here, not imported: only an exit with undelivered spans needs node:child_process.
  const { spawnSync } = process.getBuiltinModule("node:child_process");
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", POST_SCRIPT], {
    input: body,
    timeout: timeoutMs,
    stdio: ["pipe", "ignore", "ignore"],
    // Headers may hold credentials: through the environment, not the command line others can see.
    // The child must not load @jotty/otel itself (NODE_OPTIONS may carry --import of the register).
    env: { ...process.env, JOTTY_SYNC_POST_TARGET: JSON.stringify([url, headers]), NODE_OPTIONS: "", OTEL_SDK_DISABLED: "true" },
    windowsHide: true,
  });
  return child.status === 0;
}
