// Error lines quote what servers and files sent (an error body, a file's first bytes): control
// characters are shown as escapes, so ESC/OSC sequences cannot clear or hijack the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
