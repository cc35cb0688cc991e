#!/usr/bin/env node
// Entry of the jotty-analyze bin and `pnpm analyze`; the logic is in cli/main.ts.
import { main } from "./cli/main.js";
import { runMcpCommand } from "./mcp/command.js";
import { stdoutFailure } from "./cli/stdout-failure.js";

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // stderr is synchronous for files, pipes and terminals on Linux, so the line is out before exit.
  process.exit(stdoutFailure(error, process.stderr));
});
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const given = process.argv.slice(2);
// `pnpm analyze -- --since 1h` (the npm habit) passes the separator through: skip it.
const args = given[0] === "--" ? given.slice(1) : given;
// `jotty-analyze mcp …` is the MCP server (mcp/ builds on cli/, so the choice is made here, above both).
process.exitCode = args[0] === "mcp" ? await runMcpCommand(args.slice(1), io) : await main(args, io);
