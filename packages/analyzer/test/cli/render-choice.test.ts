// How the CLI picks colour and width from its streams and environment.
import { describe, expect, it } from "vitest";
import type { CliOptions } from "../../src/cli/options.js";
import { render } from "../../src/cli/run.js";
import { sampleReport } from "../render/sample-report.js";

const options = { format: "table", top: 10 } as CliOptions;
const io = (isTTY: boolean, env: NodeJS.ProcessEnv = {}, columns = 70) => ({
  stdout: { write: () => true, isTTY, columns },
  stderr: { write: () => true },
  env,
});
const ANSI = /\u001b\[/;

describe("CLI rendering choices", () => {
  it("colours and fits the width on a terminal", () => {
    const text = render(sampleReport(), options, io(true));
    expect(text).toMatch(ANSI);
    const tableLines = text.split("\n").filter((l) => /^[│┌├└]/.test(l.replace(/\u001b\[[\d;]*m/g, "")));
    expect(Math.max(...tableLines.map((l) => l.replace(/\u001b\[[\d;]*m/g, "").length))).toBeLessThanOrEqual(70);
  });

  it("never colours with NO_COLOR, even on a terminal", () => {
    expect(render(sampleReport(), options, io(true, { NO_COLOR: "1" }))).not.toMatch(ANSI);
  });

  it("never colours into a pipe, and does not wrap for a width it does not have", () => {
    const text = render(sampleReport(), options, io(false, {}, 40));
    expect(text).not.toMatch(ANSI);
    expect(text).toContain("\n  [1] http://localhost:16686/trace/0af7651916cd43dd8448eb211c80319c\n");
  });

  it("json and markdown ignore the terminal", () => {
    expect(JSON.parse(render(sampleReport(), { ...options, format: "json" }, io(true)))).toEqual(sampleReport());
    expect(render(sampleReport(), { ...options, format: "markdown" }, io(true))).not.toMatch(ANSI);
  });
});
