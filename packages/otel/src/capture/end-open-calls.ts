// At exit, no response still being read will be read further: every open llm_call ends with what
// it has (the capture's first, so they record what their observers read), marked unfinished.
import { abandonOpenCaptures } from "./llm-capture.js";
import { endOpenLlmCalls } from "../llm/llm-call.js";

export function endOpenCalls(): void {
  abandonOpenCaptures();
  endOpenLlmCalls();
}
