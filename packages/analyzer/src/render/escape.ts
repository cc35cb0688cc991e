// Neutralising untrusted text (span, operation, step, model names, attribute values, error
// bodies) for each output: a terminal obeys control bytes, HTML and markdown viewers obey markup.

// C0 and C1 controls, DEL, and the bidi overrides/isolates that reorder what a reader sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const WHITESPACE_CONTROL = /[\t\n\r\v\f]/g;

const visible = (char: string) => {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** Text safe for a terminal: line breaks and tabs become spaces, every other control byte is shown as `\xNN`. */
export function terminalText(text: string): string {
  return text.replace(WHITESPACE_CONTROL, " ").replace(CONTROL, visible);
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe as HTML element content or a quoted attribute value. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Text safe in a markdown table cell or list item: control bytes as for a terminal, HTML as
 * entities, and the table, link/image and code-span characters backslash-escaped.
 */
export function markdownText(text: string): string {
  // Quotes are plain text in markdown: only the characters that open markup become entities
  // (a step named 'steps of "agent"' reads as written, not as &quot;agent&quot;).
  return terminalText(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!)
    .replace(/[\\|[\]`]/g, (c) => `\\${c}`);
}
