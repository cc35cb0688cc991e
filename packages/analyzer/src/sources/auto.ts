// --source auto: Jaeger if it answers, else the traces file, else one line naming both.
import { access } from "node:fs/promises";
import { SourceError } from "./errors.js";
import { JAEGER_HINT, jaegerServices } from "./jaeger.js";

export type ResolvedSource = { kind: "jaeger" } | { kind: "file"; path: string };

export async function resolveAutoSource(options: {
  jaegerUrl: string;
  jaegerHeaders?: Readonly<Record<string, string>>;
  file?: string;
  probeTimeoutMs?: number;
}): Promise<ResolvedSource> {
  let jaegerProblem: string;
  try {
    await jaegerServices(options.jaegerUrl, { timeoutMs: options.probeTimeoutMs ?? 3000, headers: options.jaegerHeaders });
    return { kind: "jaeger" };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    jaegerProblem = error.message.replace(`; ${JAEGER_HINT}`, "");
  }
  if (options.file !== undefined && options.file !== "") {
    try {
      await access(options.file);
      return { kind: "file", path: options.file };
    } catch {
      throw new SourceError(
        `no trace source: ${jaegerProblem}, and the traces file ${options.file} does not exist; ${JAEGER_HINT}, or run your app with JOTTY_TRACES_FILE=${options.file}`,
      );
    }
  }
  throw new SourceError(
    `no trace source: ${jaegerProblem}, and no traces file was given (--file or JOTTY_TRACES_FILE); ${JAEGER_HINT}, or run your app with JOTTY_TRACES_FILE=traces.jsonl and pass --file traces.jsonl`,
  );
}
