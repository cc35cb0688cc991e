// node:http2 clients (the AWS SDK's default NodeHttp2Handler, so Bedrock Runtime): a request
// stream is announced by `http2.client.stream.created` before the app gets it, so a POST to an
// LLM-looking path gets the body tap's write() and end() on that one stream; the response
// headers come through `http2.client.stream.finish`, published before the 'response' event.
import diagnostics from "node:diagnostics_channel";
import type { ClientHttp2Stream, IncomingHttpHeaders, IncomingHttpStatusHeader, OutgoingHttpHeaders } from "node:http2";
import { headerText } from "./http1.js";
import type { Captures } from "./lazy-captures.js";
import { RequestBodyTap } from "./request-tap.js";

const CREATED_CHANNEL = "http2.client.stream.created";
const RESPONSE_CHANNEL = "http2.client.stream.finish";
const ERROR_CHANNEL = "http2.client.stream.error";

type Methods = Record<"write" | "end", (this: object, ...args: unknown[]) => unknown>;

export function installHttp2(captures: Captures<ClientHttp2Stream>): () => void {
  const requests = new WeakMap<ClientHttp2Stream, { url: string; headers: OutgoingHttpHeaders }>();
  const tap = new RequestBodyTap<ClientHttp2Stream>({
    wanted: () => false,
    ready: () => captures.ready(),
    ended: (stream, body, send) => {
      const { url, headers } = requests.get(stream)!;
      captures.open(stream, url, body, send, () => Object.entries(headers));
    },
  });
  const onCreated = (message: unknown): void => {
    const { stream, headers } = message as { stream: ClientHttp2Stream; headers: OutgoingHttpHeaders };
    const path = headerText(headers[":path"]) ?? "";
    if (!captures.wanted() || headerText(headers[":method"])?.toUpperCase() !== "POST" || !captures.wantsPath(path)) return;
    requests.set(stream, { url: `${headerText(headers[":scheme"]) ?? "https"}://${headerText(headers[":authority"]) ?? ""}${path}`, headers });
    tap.follow(stream);
    const own = stream as unknown as Methods;
    const { write, end } = tap.methods(own.write, own.end);
    // Not enumerable: the app's view of the stream's own keys does not change.
    Object.defineProperty(stream, "write", { configurable: true, writable: true, enumerable: false, value: write });
    Object.defineProperty(stream, "end", { configurable: true, writable: true, enumerable: false, value: end });
  };
  const onResponse = (message: unknown): void => {
    const { stream, headers } = message as { stream: ClientHttp2Stream; headers: IncomingHttpHeaders & IncomingHttpStatusHeader };
    captures.respond(stream, stream, Number(headers[":status"] ?? 0), (name) => headerText(headers[name]));
  };
  const onError = (message: unknown): void => {
    const { stream, error } = message as { stream: ClientHttp2Stream; error: unknown };
    captures.fail(stream, error);
  };
  diagnostics.subscribe(CREATED_CHANNEL, onCreated);
  diagnostics.subscribe(RESPONSE_CHANNEL, onResponse);
  diagnostics.subscribe(ERROR_CHANNEL, onError);
  return () => {
    diagnostics.unsubscribe(CREATED_CHANNEL, onCreated);
    diagnostics.unsubscribe(RESPONSE_CHANNEL, onResponse);
    diagnostics.unsubscribe(ERROR_CHANNEL, onError);
  };
}
