// What the fetch capture reads of a request before deciding whether it is an LLM call.

function requestMethod(input: unknown, init: RequestInit | undefined): string {
  if (init?.method !== undefined) return init.method;
  return input instanceof Request ? input.method : "GET";
}

export function isPost(input: unknown, init: RequestInit | undefined): boolean {
  const method = requestMethod(input, init);
  return method === "POST" || method.toUpperCase() === "POST";
}

export function requestUrl(input: unknown): string | undefined {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  if (input instanceof Request) return input.url;
  return undefined;
}
