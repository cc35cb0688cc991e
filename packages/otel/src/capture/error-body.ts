// error.type, code and message of a failed request: from the provider's error body, or the thrown error.
import { withholdText } from "../redaction/known-secrets.js";
import { errorOf, isObject, type ProviderError } from "./wire/content.js";

/** error.type from an error body: the provider's own type or code where it has one. */
export function errorFromBody(text: string, status: number): ProviderError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { errorType: String(status) };
  }
  if (Array.isArray(body)) body = body[0];
  // OpenAI: {error:{type,code}} (code is the specific one: rate_limit_exceeded, not tokens), Anthropic: {type:"error",error:{type}}, Gemini: {error:{code:429,status}}.
  if (isObject(body) && isObject(body.error)) return errorOf(body.error, ["code", "type", "status"], String(status));
  return { errorType: String(status) };
}

/** error.type for a thrown error: the network error code (ECONNREFUSED, UND_ERR_SOCKET) when undici gives one, else its name. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return "_OTHER";
  if (error.name === "AbortError") return "cancelled";
  if (error.name === "TimeoutError") return "timeout";
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (typeof causeCode === "string") return causeCode;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return error.name;
}

/**
 * The llm_call's status message for a provider's error. Content capture on: the message (the
 * llm_call redacts secrets from it). Off: only the type and code, since the message may quote the
 * prompt or system text; the message is also withheld from every later span (the SDK's error
 * carries it into the app's exception events).
 */
export function providerErrorStatus(error: ProviderError, captureContent: boolean): string {
  if (captureContent && error.errorMessage !== undefined) return error.errorMessage;
  if (!captureContent && error.errorMessage !== undefined) withholdText(error.errorMessage);
  // Type first, then code, whichever of them error.type took: `invalid_request_error (invalid_value)`.
  if (error.errorKind !== undefined) return `${error.errorKind} (${error.errorType})`;
  return error.errorCode === undefined ? error.errorType : `${error.errorType} (${error.errorCode})`;
}
