// Amazon Bedrock Runtime paths: POST /model/{modelId}/{action}. The model id (or inference
// profile, or ARN) is URL-encoded in the path, never in the body; the action says whether the
// response streams.

const BEDROCK_PATH = /\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

export interface BedrockPath {
  action: string;
  modelId: string;
}

export function matchBedrockPath(path: string): BedrockPath | undefined {
  const match = BEDROCK_PATH.exec(path);
  if (match === null) return undefined;
  let modelId = match[1]!;
  try {
    modelId = decodeURIComponent(modelId);
  } catch {
    // Not valid percent-encoding: keep the id as sent.
  }
  return { action: match[2]!, modelId };
}

/** An exception message of an event stream (`:exception-type`, e.g. throttlingException) or a protocol error message. */
export function isStreamError(name: string): boolean {
  return name.endsWith("Exception") || name.startsWith("error:");
}
