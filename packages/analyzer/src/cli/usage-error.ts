/** Bad usage found after parsing: one line, exit 2. */
export class UsageError extends Error {}
