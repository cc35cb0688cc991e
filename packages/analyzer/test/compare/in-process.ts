// jotty-analyze's main() in this process (the same code the bin runs), its output captured.
import { main } from "../../src/cli/main.js";
import type { AnalyzedReport } from "../../src/compare/types.js";

export async function analyzeJson(args: string[]): Promise<{ code: number; report: AnalyzedReport; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--format", "json"], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, report: stdout === "" ? (undefined as never) : (JSON.parse(stdout) as AnalyzedReport), stderr };
}
