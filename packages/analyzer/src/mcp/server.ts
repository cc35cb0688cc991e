// `jotty-analyze mcp`: the analyzer as a Model Context Protocol server over stdio, on the
// official SDK, for coding agents.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { registerTools } from "./tools.js";
import type { ServerConfig } from "./tool-options.js";

export function createMcpServer(config: ServerConfig, version: string): McpServer {
  const server = new McpServer({ name: "jotty-analyze", version });
  registerTools(server, config);
  return server;
}

/** Serves on stdin/stdout until the client closes stdin. */
export async function serveStdio(config: ServerConfig, version: string): Promise<void> {
  const server = createMcpServer(config, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => void server.close());
  });
  await server.connect(transport);
  await closed;
}
