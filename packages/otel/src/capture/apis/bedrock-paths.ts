// Amazon Bedrock Runtime paths: POST /model/{modelId}/{action}. The model id (or inference
// profile, or ARN) is URL-encoded in the path, never in the body; the action says whether the
// response streams.
import type { LlmApiAdapter, PathMatch } from "../wire/api-adapter.js";

const BEDROCK_PATH = /\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

function matchBedrockPath(path: string): { action: string; modelId: string } | undefined {
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

/**
 * The path match of one Bedrock API: `operation` is "converse" or "invoke"; its streaming form
 * (`converse-stream`, `invoke-with-response-stream`) sets pathStream.
 */
function matchBedrockOperation(path: string, operation: "converse" | "invoke"): PathMatch | undefined {
  const match = matchBedrockPath(path);
  if (match === undefined || !match.action.startsWith(operation)) return undefined;
  return { pathModel: match.modelId, pathStream: match.action !== operation };
}

/** What the two Bedrock APIs share: recognised by the path, which also says whether the response streams. */
export function bedrockPathFields(
  operation: "converse" | "invoke",
): Pick<LlmApiAdapter, "operation" | "defaultProvider" | "pathTails" | "matchPath" | "requestStreams"> {
  return {
    operation: "chat",
    defaultProvider: "aws.bedrock",
    pathTails: operation === "converse" ? ["converse", "converse-stream"] : ["invoke", "invoke-with-response-stream"],
    matchPath: (path) => matchBedrockOperation(path, operation),
    requestStreams: () => false,
  };
}

/** An exception message of an event stream (`:exception-type`, e.g. throttlingException) or a protocol error message. */
export function isStreamError(name: string): boolean {
  return name.endsWith("Exception") || name.startsWith("error:");
}
