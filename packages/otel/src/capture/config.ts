// Capture settings: code options first, then the environment, then defaults.

export interface FetchCaptureOptions {
  /** Record gen_ai.input.messages / gen_ai.output.messages. Default: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true. */
  captureContent?: boolean;
  /** Longest content attribute, in characters. Default: JOTTY_CAPTURE_MAX_CONTENT_CHARS, else 16384. */
  maxContentChars?: number;
  /**
   * Capture a request made inside another instrumentation's inference span (an SDK's own
   * telemetry, the AI SDK's doGenerate/doStream, OpenLLMetry, OpenInference). When true our
   * llm_call is its child, marked jotty.llm.nested_in_inference_span; false leaves the call to the
   * other instrumentation. Default: JOTTY_CAPTURE_INSIDE_INFERENCE_SPANS, else true.
   */
  insideInferenceSpans?: boolean;
}

export interface CaptureConfig {
  captureContent: boolean;
  maxContentChars: number;
  insideInferenceSpans: boolean;
}

export const DEFAULT_MAX_CONTENT_CHARS = 16_384;

export function resolveCaptureConfig(options: FetchCaptureOptions = {}, env: NodeJS.ProcessEnv = process.env): CaptureConfig {
  return {
    captureContent: options.captureContent ?? env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === "true",
    maxContentChars: options.maxContentChars ?? maxCharsFromEnv(env.JOTTY_CAPTURE_MAX_CONTENT_CHARS),
    insideInferenceSpans: options.insideInferenceSpans ?? !/^(false|0|off|no)$/i.test(env.JOTTY_CAPTURE_INSIDE_INFERENCE_SPANS?.trim() ?? ""),
  };
}

function maxCharsFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_CONTENT_CHARS;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  console.warn(`@jotty/otel: JOTTY_CAPTURE_MAX_CONTENT_CHARS=${JSON.stringify(raw)} is not a positive integer; using ${DEFAULT_MAX_CONTENT_CHARS}`);
  return DEFAULT_MAX_CONTENT_CHARS;
}
