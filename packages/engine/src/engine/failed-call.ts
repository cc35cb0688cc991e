import type { CallInsight } from "./call-insight.js";

/** An LLM call that failed: an error status, an HTTP error answer or the provider's error type. */
export const isFailedCall = (error: boolean, c: CallInsight): boolean => error || c.httpStatus >= 400 || c.errorType !== "";
