// Markdown cells show quotes as written (issue 21: `&quot;` in the report's target cells), while
// markup-opening characters stay neutralised.
import { expect, it } from "vitest";
import { markdownText } from "../../src/render/escape.js";

it("keeps quotes, escapes <, >, & and the table and code characters", () => {
  expect(markdownText('steps of "agent": plan, it\'s')).toBe('steps of "agent": plan, it\'s');
  expect(markdownText("<b>a|b</b> & `c`")).toBe("&lt;b&gt;a\\|b&lt;/b&gt; &amp; \\`c\\`");
});
