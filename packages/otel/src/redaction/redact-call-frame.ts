import { knownSecrets } from "./known-secrets.js";
import { redactText } from "./redact-text.js";
import { mayHoldUrlSecret, redactUrl } from "./redact-url.js";

interface CallFrameText {
  functionName: string;
  url: string;
}

/**
 * A CPU profile call frame with key shapes and URL credentials taken out of its function name and
 * script URL (code loaded from `https://…?token=`, or from a data: URL holding a key). Once per
 * new frame, not per sample.
 */
export function redactCallFrame<Frame extends CallFrameText>(frame: Frame): Frame {
  const functionName = redactText(frame.functionName, knownSecrets());
  let url = redactText(frame.url, knownSecrets());
  if (mayHoldUrlSecret(url)) url = redactUrl(url);
  return functionName === frame.functionName && url === frame.url ? { ...frame } : { ...frame, functionName, url };
}
