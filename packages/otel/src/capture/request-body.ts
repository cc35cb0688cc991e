// Reads the JSON request body the app is sending, without consuming it.
// The openai and anthropic SDKs and the Vercel AI SDK pass a string body; other forms are
// read when that is possible without touching the app's copy.

const decoder = new TextDecoder();

/** The body as text when it is at hand without consuming the app's copy (string, bytes); else undefined. */
export function bodyText(body: RequestInit["body"]): string | undefined {
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return decoder.decode(body);
  if (ArrayBuffer.isView(body)) return decoder.decode(body as Uint8Array);
  return undefined;
}

/** The body of a Request object, read from a clone so the app's Request stays unread. */
export async function requestBodyText(request: Request): Promise<string | undefined> {
  if (request.body === null || request.bodyUsed) return undefined;
  return request.clone().text();
}
