// Writing the report can fail after the work is done: `jotty-analyze | head` closes the pipe
// (EPIPE: the reader has what it wanted, so a quiet exit 0, as head users expect) and a full
// disk refuses the bytes (ENOSPC: one line, exit 1). Without a listener either is a stack trace.
import { terminalText } from "../render/escape.js";

/** Exit code for a stdout 'error' event, having said what failed when it matters. */
export function stdoutFailure(error: NodeJS.ErrnoException, stderr: { write(text: string): unknown }): number {
  if (error.code === "EPIPE") return 0;
  const what = error.code === "ENOSPC" ? "no space left on device" : error.message;
  stderr.write(`jotty-analyze: cannot write the report to stdout: ${terminalText(what)}\n`);
  return 1;
}
