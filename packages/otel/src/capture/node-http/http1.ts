// node:http and node:https clients (axios's http adapter, the AWS SDK's NodeHttpHandler,
// http.request): ClientRequest.prototype gets the body tap's write() and end(); the response is
// found through `http.client.response.finish`, published before the app's 'response' event.
// The prototype is patched when the first request is made (`http.client.request.created`, Node
// >= 22.12, published before the request can be written): an app that never uses node:http does
// not load it.
import type { ClientRequest, IncomingMessage } from "node:http";
import diagnostics from "node:diagnostics_channel";
import type { Captures } from "./lazy-captures.js";
import { RequestBodyTap } from "./request-tap.js";

const CREATED_CHANNEL = "http.client.request.created";
const RESPONSE_CHANNEL = "http.client.response.finish";
const ERROR_CHANNEL = "http.client.request.error";

type Methods = Record<"write" | "end", (this: object, ...args: unknown[]) => unknown>;

export function installHttp1(captures: Captures<ClientRequest>): () => void {
  let unpatch = () => {};
  const onFirstRequest = (): void => {
    diagnostics.unsubscribe(CREATED_CHANNEL, onFirstRequest);
    unpatch = patchClientRequest(captures);
  };
  diagnostics.subscribe(CREATED_CHANNEL, onFirstRequest);
  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    captures.respond(request, response, response.statusCode ?? 0, (name) => headerText(response.headers[name]));
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: ClientRequest; error: unknown };
    captures.fail(request, error);
  };
  diagnostics.subscribe(RESPONSE_CHANNEL, onResponse);
  diagnostics.subscribe(ERROR_CHANNEL, onError);
  return () => {
    diagnostics.unsubscribe(CREATED_CHANNEL, onFirstRequest);
    unpatch();
    diagnostics.unsubscribe(RESPONSE_CHANNEL, onResponse);
    diagnostics.unsubscribe(ERROR_CHANNEL, onError);
  };
}

function patchClientRequest(captures: Captures<ClientRequest>): () => void {
  // Not `import { ClientRequest } from "node:http"`: the ES module view of node:http reads every
  // export, its lazy fetch/WebSocket ones too, which loads Node's undici (tens of ms at start-up).
  const { ClientRequest } = process.getBuiltinModule("node:http");
  const proto = ClientRequest.prototype as unknown as Methods;
  const tap = new RequestBodyTap<ClientRequest>({
    wanted: (request) => captures.wanted() && request.method === "POST" && captures.wantsPath(request.path),
    ready: () => captures.ready(),
    ended: (request, body, send) => captures.open(request, requestUrl(request), body, send, () => Object.entries(request.getHeaders())),
  });
  const { write, end } = tap.methods(proto.write, proto.end);
  proto.write = write;
  proto.end = end;
  return () => {
    // Delete only our own methods: OutgoingMessage's show through again.
    if (proto.write === write) delete (proto as Partial<Methods>).write;
    if (proto.end === end) delete (proto as Partial<Methods>).end;
  };
}

/** The request's URL as the app addressed it (the Host header carries a non-default port). */
function requestUrl(request: ClientRequest): string {
  const host = request.getHeader("host");
  const authority = typeof host === "string" && host !== "" ? host : request.host;
  return `${request.protocol}//${authority}${request.path}`;
}

export function headerText(value: string | string[] | number | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value === undefined ? undefined : String(value);
}
