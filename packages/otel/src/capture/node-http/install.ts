// Zero-code LLM capture over node:http, node:https and node:http2 (axios's http adapter, the AWS
// SDK's NodeHttpHandler and NodeHttp2Handler, plain http.request): the request body is read as
// the app writes it (request-tap.ts), the llm_call opens as the app ends the request, and the
// response body is followed as Node delivers it to the response stream (response-tap.ts).
import type { ClientRequest } from "node:http";
import type { ClientHttp2Stream } from "node:http2";
import type { CaptureConfig } from "../config.js";
import { installHttp1 } from "./http1.js";
import { installHttp2 } from "./http2.js";
import { LazyCaptures } from "./lazy-captures.js";

export function installNodeHttpCapture(config: CaptureConfig): () => void {
  let active = true;
  const isActive = () => active;
  const uninstallHttp1 = installHttp1(new LazyCaptures<ClientRequest>(config, isActive));
  const uninstallHttp2 = installHttp2(new LazyCaptures<ClientHttp2Stream>(config, isActive));
  return () => {
    if (!active) return;
    active = false;
    uninstallHttp1();
    uninstallHttp2();
  };
}
