#!/usr/bin/env node
// Entry of the jotty-analyze bin and `pnpm analyze`; the logic is in cli/main.ts.
import { main } from "./cli/main.js";
import { stdoutFailure } from "./cli/stdout-failure.js";

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // stderr is synchronous for files, pipes and terminals on Linux, so the line is out before exit.
  process.exit(stdoutFailure(error, process.stderr));
});
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
