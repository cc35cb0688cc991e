// Issue 12 "Output that can be hijacked": names from traces reach the terminal and markdown
// viewers, so every control byte and markup the renderer did not write itself is neutralised.
import { describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderTable } from "../../src/render/table.js";
import { sampleReport } from "./sample-report.js";

const CLEAR_SCREEN = "\u001b[2J";
const OSC8_LINK = "\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007";
const C1_CSI = "\u009b31m";
const BIDI_OVERRIDE = "\u202e";
const IMG = "<img src=x onerror=alert(1)>";
const JS_LINK = "[x](javascript:alert(1))";

function hostileReport(): Report {
  const report = sampleReport();
  report.operations[0]!.name = `llm_call${CLEAR_SCREEN}`;
  report.llm.byModel[0]!.model = `gpt-4o${OSC8_LINK}`;
  report.llm.byModel[0]!.provider = `openai${C1_CSI}\r\u0008`;
  report.steps[0]!.name = `plan${BIDI_OVERRIDE}${IMG}`;
  report.bottlenecks[0]!.why = `slow ${JS_LINK} and ${IMG}`;
  report.slowestTraces[0]!.rootName = `root\u0000\u007f${CLEAR_SCREEN}`;
  report.warnings.push(`bad span ${CLEAR_SCREEN}${OSC8_LINK}`);
  return report;
}

// Every C0/C1 control except the newline the renderer writes between lines, and bidi overrides.
const FOREIGN_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SGR = /\u001b\[[0-9;]*m/g;

describe("table output of hostile names", () => {
  it("carries no control byte without colour", () => {
    const text = renderTable(hostileReport(), { color: false, width: 120 });
    expect(text).not.toMatch(FOREIGN_CONTROL);
    expect(text).toContain("llm_call");
    expect(text).toContain("click me");
  });

  it("carries only its own colour sequences with colour", () => {
    const text = renderTable(hostileReport(), { color: true, width: 200 });
    expect(text).toMatch(SGR);
    expect(text.replace(SGR, "")).not.toMatch(FOREIGN_CONTROL);
  });

  it("shows the escaped bytes as visible text", () => {
    const text = renderTable(hostileReport(), { width: 400 });
    expect(text).toContain("\\x1b[2J");
  });
});

describe("markdown output of hostile names", () => {
  const text = renderMarkdown(hostileReport());

  it("escapes HTML", () => {
    expect(text).not.toContain("<img");
    expect(text).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("escapes link syntax", () => {
    expect(text).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(text).toContain("\\[x\\](javascript:alert(1))");
  });

  it("carries no control byte", () => {
    expect(text).not.toMatch(FOREIGN_CONTROL);
  });
});

describe("JSON output of hostile names", () => {
  it("is unchanged: the exact strings, control characters included", () => {
    const report = hostileReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
    expect(renderJson(report)).toContain("\\u001b[2J");
  });
});
