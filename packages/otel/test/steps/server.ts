// A real local HTTP server that accepts requests and never answers them.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export async function startSilentServer() {
  const requests: IncomingMessage[] = [];
  const socketClosed: Promise<void>[] = [];
  const server = createServer((req) => {
    requests.push(req);
    socketClosed.push(new Promise((resolve) => req.socket.once("close", () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    /** Resolves when every socket that carried a request has closed. */
    allSocketsClosed: () => Promise.all(socketClosed),
    /** Closes the server and every connection; a second call does nothing. */
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
