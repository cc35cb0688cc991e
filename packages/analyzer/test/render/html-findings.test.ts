// The HTML report shows each finding with its evidence: cause, fix, examples, validate.
import { expect, it } from "vitest";
import { renderHtml } from "../../src/render/html.js";
import { sampleReport } from "./sample-report.js";

it("has a findings section with each finding's cause, fix, example spans and validate command", () => {
  const html = renderHtml(sampleReport());
  expect(html).toContain('<section id="findings">');
  expect(html).toContain('data-finding="cache:llm_call gpt-4o"');
  expect(html).toContain("the same request was sent 3 more times and answered again");
  expect(html).toContain("trace 0af7651916cd43dd8448eb211c80319c, span b7ad6b7169203331");
  expect(html).toContain("jotty-analyze --baseline-file");
});
