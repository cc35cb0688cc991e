// The start-up path reads OTEL_* values with its own small readers instead of loading
// @opentelemetry/core: they must read every value exactly as core's helpers do, and the
// suppressed-tracing test must see core's suppressTracing() context.
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { getBooleanFromEnv, getNumberFromEnv, getStringFromEnv, getStringListFromEnv, suppressTracing } from "@opentelemetry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { envBoolean, envList, envNumber, envString } from "../../src/sdk/env.js";
import { isTracingSuppressed } from "../../src/sdk/suppressed-tracing.js";

const VALUES = [
  undefined,
  "",
  "   ",
  "true",
  " TRUE ",
  "false",
  "False",
  "yes",
  "0",
  "1",
  " 42 ",
  "0x10",
  "1e3",
  "-2.5",
  "abc",
  "a,b",
  " a , ,b ,",
  ",",
  "otlp,prometheus",
];
const NAME = "JOTTY_TEST_ENV_READER";

describe("env readers on the start-up path", () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each(VALUES.map((value) => [JSON.stringify(value), value]))("read %s as core reads it", (_label, value) => {
    if (value === undefined) delete process.env[NAME];
    else vi.stubEnv(NAME, value);
    expect([envString(NAME), envList(NAME), envNumber(NAME), envBoolean(NAME)]).toEqual([
      getStringFromEnv(NAME),
      getStringListFromEnv(NAME),
      getNumberFromEnv(NAME),
      getBooleanFromEnv(NAME),
    ]);
  });

  it("sees core's suppressTracing() context, and only that", () => {
    expect(isTracingSuppressed(suppressTracing(ROOT_CONTEXT))).toBe(true);
    expect(isTracingSuppressed(ROOT_CONTEXT)).toBe(false);
    expect(isTracingSuppressed(context.active())).toBe(false);
  });
});
