// The fetch progress line: on stderr only when stderr is a terminal, cleared before the report.
import { afterEach, describe, expect, it } from "vitest";
import type { CliOptions } from "../../src/cli/options.js";
import { analyze } from "../../src/cli/run.js";
import { jaegerHandler, spreadTraces, startFakeJaeger, type FakeJaeger } from "../sources/fake-jaeger.js";

let jaeger: FakeJaeger | undefined;
afterEach(async () => {
  await jaeger?.close();
  jaeger = undefined;
});

const end = new Date("2026-11-25T21:00:00.000Z");
const start = new Date(end.getTime() - 3_600_000);

async function run(stderrIsTTY: boolean): Promise<{ stderr: string; traces: number }> {
  jaeger ??= await startFakeJaeger(jaegerHandler(spreadTraces("agent", 9, start.getTime(), end.getTime())));
  let stderr = "";
  const options: CliOptions = {
    start,
    end,
    windowGiven: true,
    sinceGiven: true,
    source: "jaeger",
    jaegerUrl: jaeger.url,
    prometheusUrl: "http://127.0.0.1:9",
    jaegerHeaders: {},
    prometheusHeaders: {},
    fileGiven: false,
    format: "json",
    top: 10,
    pageSize: 4,
  };
  const report = await analyze(options, {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text), isTTY: stderrIsTTY },
    env: {},
  });
  return { stderr, traces: report.traces };
}

describe("Jaeger fetch progress", () => {
  it("updates one line in place on a terminal and clears it at the end", async () => {
    const { stderr, traces } = await run(true);
    expect(traces).toBe(9);
    const updates = stderr.split("\r\u001b[2K").filter(Boolean);
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.at(-1)).toBe("jaeger: 9 traces, 27 spans, " + updates.at(-1)!.split(", ")[2]);
    expect(stderr.endsWith("\r\u001b[2K")).toBe(true);
    expect(stderr).not.toContain("\n");
  });

  it("writes nothing when stderr is not a terminal", async () => {
    const { stderr, traces } = await run(false);
    expect(traces).toBe(9);
    expect(stderr).toBe("");
  });
});
