#!/usr/bin/env node
// Entry of the jotty-analyze bin and `pnpm analyze`; the logic is in cli/main.ts.
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
