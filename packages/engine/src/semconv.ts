// Attribute and metric names shared by the instrumentation (@jotty/otel) and the analyzer.
// GenAI names follow semantic-conventions v1.41 (incubating, so copied here as the
// opentelemetry-js-contrib instrumentations do rather than imported from /incubating).

export const ATTR_GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const ATTR_GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
export const ATTR_GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const ATTR_GEN_AI_REQUEST_STREAM = "gen_ai.request.stream";
export const ATTR_GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const ATTR_GEN_AI_RESPONSE_ID = "gen_ai.response.id";
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_write.input_tokens";
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
export const ATTR_GEN_AI_USAGE_COST = "gen_ai.usage.cost";
export const ATTR_GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
export const ATTR_GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
export const ATTR_GEN_AI_WORKFLOW_NAME = "gen_ai.workflow.name";
export const ATTR_GEN_AI_TOOL_NAME = "gen_ai.tool.name";
export const ATTR_GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
export const ATTR_SERVER_ADDRESS = "server.address";
export const ATTR_SERVER_PORT = "server.port";
export const ATTR_ERROR_TYPE = "error.type";

export const ATTR_JOTTY_LLM_PROMPT_HASH = "jotty.llm.prompt_hash";
export const ATTR_JOTTY_LLM_USAGE_MISSING = "jotty.llm.usage_missing";
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
export const ATTR_JOTTY_LLM_CONTENT_TRUNCATED = "jotty.llm.content_truncated";
/**
 * The capture's llm_call ran inside another instrumentation's inference span for the same request
 * (an SDK's own span, the AI SDK's doGenerate/doStream, OpenLLMetry, OpenInference): it is the
 * provider-direct record of that one call, so the two count once.
 */
export const ATTR_JOTTY_LLM_NESTED_IN_INFERENCE_SPAN = "jotty.llm.nested_in_inference_span";
/** The call ended before its response did (body never read, unreachable, or the process exited): figures are what was read. */
export const ATTR_JOTTY_LLM_UNFINISHED = "jotty.llm.unfinished";
/** A streamed event larger than the capture's bound was skipped unparsed (its usage, if any, is missing). */
export const ATTR_JOTTY_LLM_EVENT_SKIPPED = "jotty.llm.event_skipped";

// What the detectors read (issue 21), recorded without content. Fingerprints are the first 16
// hex digits of a SHA-256; sizes are UTF-8 bytes; token figures are estimates (bytes / 4).
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
export const ATTR_HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
/** Cumulative fingerprint of the request at each prefix boundary: tools, system, then each leading message. */
export const ATTR_JOTTY_LLM_PROMPT_PREFIX_HASHES = "jotty.llm.prompt.prefix_hashes";
/** What each boundary closes: "tools", "system", or the message's role (or item type). */
export const ATTR_JOTTY_LLM_PROMPT_PREFIX_KINDS = "jotty.llm.prompt.prefix_kinds";
/** UTF-8 bytes of the request's prompt parts up to and including each boundary. */
export const ATTR_JOTTY_LLM_PROMPT_PREFIX_BYTES = "jotty.llm.prompt.prefix_bytes";
/** Estimated tokens up to each boundary (ceil(bytes / 4)). */
export const ATTR_JOTTY_LLM_PROMPT_PREFIX_TOKENS = "jotty.llm.prompt.prefix_tokens";
/** UTF-8 bytes of each tool result carried in the request, in request order. */
export const ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_BYTES = "jotty.llm.request.tool_result_bytes";
/** The tool that produced each of those results ("" when the request does not say). */
export const ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_NAMES = "jotty.llm.request.tool_result_names";
/** Fingerprint of each tool call in the response: its name and canonical (key-sorted) arguments. */
export const ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_HASHES = "jotty.llm.response.tool_call_hashes";
export const ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_NAMES = "jotty.llm.response.tool_call_names";
/** The wait an error response asked for (retry-after-ms, or retry-after in seconds or as a date), in ms. */
export const ATTR_JOTTY_LLM_RETRY_AFTER_MS = "jotty.llm.retry_after_ms";
// Ollama's own server timings, in nanoseconds as Ollama reports them.
export const ATTR_OLLAMA_LOAD_DURATION_NS = "ollama.load_duration_ns";
export const ATTR_OLLAMA_PROMPT_EVAL_DURATION_NS = "ollama.prompt_eval_duration_ns";
export const ATTR_OLLAMA_EVAL_DURATION_NS = "ollama.eval_duration_ns";
export const ATTR_OLLAMA_TOTAL_DURATION_NS = "ollama.total_duration_ns";
export const ATTR_JOTTY_STEP_NAME = "jotty.step.name";
export const ATTR_JOTTY_STEP_INDEX = "jotty.step.index";
export const ATTR_JOTTY_STEP_ATTEMPTS = "jotty.step.attempts";
export const ATTR_JOTTY_STEP_TIMEOUT_MS = "jotty.step.timeout_ms";
export const ATTR_JOTTY_STEP_OUTCOME = "jotty.step.outcome";
export const ATTR_JOTTY_STEP_ATTEMPT = "jotty.step.attempt";
export const ATTR_JOTTY_STEP_BACKOFF_MS = "jotty.step.backoff_ms";
export const EVENT_JOTTY_STEP_TIMEOUT = "jotty.step.timeout";
export const EVENT_JOTTY_STEP_RETRY = "jotty.step.retry";
/** The step did not settle when its signal was aborted; the runner moved on without it. */
export const EVENT_JOTTY_STEP_ABANDONED = "jotty.step.abandoned";
export const EVENT_JOTTY_STEP_CANCELLED = "jotty.step.cancelled";

// CPU profile (V8 sampling profile sliced per segment): span attributes and one event.
export const ATTR_JOTTY_CPU_PROFILE_PATH = "jotty.cpu_profile.path";
export const ATTR_JOTTY_CPU_PROFILE_SAMPLE_FIRST = "jotty.cpu_profile.sample_first";
export const ATTR_JOTTY_CPU_PROFILE_SAMPLE_LAST = "jotty.cpu_profile.sample_last";
export const ATTR_JOTTY_CPU_PROFILE_OVERLAPPING = "jotty.cpu_profile.overlapping";
export const EVENT_JOTTY_CPU_PROFILE = "jotty.cpu_profile";
export const ATTR_JOTTY_CPU_PROFILE_SAMPLES = "jotty.cpu_profile.samples";
export const ATTR_JOTTY_CPU_PROFILE_CPU_MS = "jotty.cpu_profile.cpu_ms";
/** JSON array of {function, location, selfMs, share}, the same data as the flat arrays below. */
export const ATTR_JOTTY_CPU_PROFILE_TOP_FUNCTIONS = "jotty.cpu_profile.top_functions";
export const ATTR_JOTTY_CPU_PROFILE_FUNCTIONS = "jotty.cpu_profile.functions";
export const ATTR_JOTTY_CPU_PROFILE_LOCATIONS = "jotty.cpu_profile.locations";
export const ATTR_JOTTY_CPU_PROFILE_SELF_MS = "jotty.cpu_profile.self_ms";
export const ATTR_JOTTY_CPU_PROFILE_SHARES = "jotty.cpu_profile.shares";

export const LLM_SPAN_NAME = "llm_call";

/** gen_ai.operation.name values that mark a span as an LLM call, whatever made it. */
export const LLM_OPERATIONS: ReadonlySet<string> = new Set(["chat", "text_completion", "generate_content", "embeddings"]);

export const OPERATION_INVOKE_WORKFLOW = "invoke_workflow";
export const OPERATION_EXECUTE_TOOL = "execute_tool";

export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = "gen_ai.client.operation.duration";
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = "gen_ai.client.token.usage";
export const METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
export const METRIC_JOTTY_LLM_COST = "jotty.llm.cost";

export type StepOutcome = "ok" | "timeout" | "error";

// Older and newer GenAI names other instrumentations still write; the analyzer reads them all.
/** Deprecated name of gen_ai.provider.name (opentelemetry-js-contrib, OpenLLMetry before 0.50). */
export const ATTR_GEN_AI_SYSTEM = "gen_ai.system";
export const ATTR_GEN_AI_USAGE_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
export const ATTR_GEN_AI_USAGE_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";
/** OpenLLMetry's flat spellings of the cache counters. */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_FLAT = "gen_ai.usage.cache_read_input_tokens";
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_FLAT = "gen_ai.usage.cache_creation_input_tokens";
/** Mastra's spelling of reasoning.output_tokens. */
export const ATTR_GEN_AI_USAGE_REASONING_TOKENS_FLAT = "gen_ai.usage.reasoning_tokens";
export const ATTR_GEN_AI_AGENT_NAME = "gen_ai.agent.name";
export const OPERATION_INVOKE_AGENT = "invoke_agent";
export const OPERATION_CREATE_AGENT = "create_agent";
