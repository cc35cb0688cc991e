// jotty-analyze: exit 0 with a report (3 with --fail-on regressions and one found), 2 for bad usage, 1 with one clear line when the source
// cannot be reached or its data cannot be read. Never a stack trace (JOTTY_DEBUG=1 shows one).
import { CommanderError } from "commander";
import { writeFileAtomic } from "./atomic-write.js";
import { analyzeCompared } from "./compared-run.js";
import { render, type Io } from "./run.js";
import { buildProgram, readOptions } from "./options.js";
import { SourceError } from "../sources/errors.js";
import { terminalText } from "../render/escape.js";

/** --fail-on regressions found one. */
export const EXIT_REGRESSION = 3;

export async function main(argv: string[], io: Io): Promise<number> {
  const program = buildProgram()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trimEnd()} (see jotty-analyze --help)\n`),
    });
  let options: ReturnType<typeof readOptions>;
  try {
    // `pnpm analyze -- --since 1h` (the npm habit) passes the separator through: skip it.
    program.parse(argv[0] === "--" ? argv.slice(1) : argv, { from: "user" });
    options = readOptions(program, new Date(), io.env);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    io.stderr.write(`error: ${terminalText(error instanceof Error ? error.message : String(error))} (see jotty-analyze --help)\n`);
    return 2;
  }
  try {
    const report = await analyzeCompared(options, io);
    const text = render(report, options, io);
    if (options.output === undefined) io.stdout.write(text);
    else writeReport(options.output, text, io);
    return options.failOn === "regressions" && (report.comparison?.regressions.length ?? 0) > 0 ? EXIT_REGRESSION : 0;
  } catch (error) {
    if (error instanceof SourceError) {
      io.stderr.write(`jotty-analyze: ${terminalText(error.message)}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`jotty-analyze: unexpected failure: ${terminalText(message.split("\n")[0]!)}\n`);
      if (io.env.JOTTY_DEBUG) io.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
    }
    return 1;
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EFBIG: "file too large",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
};

/** --output: the report in a file (whole or not at all), and one line on stderr saying where. */
function writeReport(path: string, text: string, io: Io): void {
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === undefined ? (error as Error).message : `${code}${WRITE_ERRORS[code] ? ` (${WRITE_ERRORS[code]})` : ""}`;
    throw new SourceError(`cannot write ${path}: ${why}; nothing written`);
  }
  io.stderr.write(`jotty-analyze: report written to ${path}\n`);
}
