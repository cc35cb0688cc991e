/**
 * Whether something accepts TCP connections at the URL's host and port. Used before the exit
 * flush: a collector that is not running refuses at once, and the app should not then wait out
 * the exporter's retries (up to the flush timeout) before it can exit.
 */
export function isEndpointListening(url: string, timeoutMs: number): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, "");
    port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    // Taken here, not imported: the probe runs at exit, and only once something was made.
    const { connect } = process.getBuiltinModule("node:net");
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    timer.unref();
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
