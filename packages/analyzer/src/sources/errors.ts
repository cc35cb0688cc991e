// The one error a source may throw: its message is the single line the CLI prints before exit 1.
export class SourceError extends Error {
  override readonly name = "SourceError";
}
