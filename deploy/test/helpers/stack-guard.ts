// Stack tests run for real when the native binaries are there. In CI (CI=true) a missing binary
// fails them (startStack throws, naming what is missing); elsewhere they skip with one line.
import { stackAvailability } from "../../native/binaries.ts";

const availability = stackAvailability();
export const skipStackTests = !availability.ok && process.env.CI !== "true";
if (skipStackTests && !availability.ok) {
  console.warn(`deploy/test: native stack tests skipped, missing ${availability.missing}`);
}

/** Per-test bound for tests that poll the stack (each poll has its own shorter deadline). */
export const STACK_TEST_TIMEOUT_MS = 90_000;
