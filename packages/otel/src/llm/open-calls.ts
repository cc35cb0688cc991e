// At exit, no response still being read will be read further: every open llm_call ends with what
// it has (the capture's first, so they record what their observers read), marked unfinished.
// The capture and llmCall() put their enders here as they load, so the exit hooks do not load
// them into a process that never made an LLM call.

const enders: { captures?: () => void; calls?: () => void } = {};

export function onEndOpenCaptures(end: () => void): void {
  enders.captures = end;
}

export function onEndOpenLlmCalls(end: () => void): void {
  enders.calls = end;
}

export function endOpenCalls(): void {
  enders.captures?.();
  enders.calls?.();
}
