// The way users turn it on: JOTTY_CPU_PROFILE=1 with `node --import @jotty/otel/register`, on the
// built dist/ (pnpm test builds first). Spans go to JOTTY_TRACES_FILE; nothing else is called.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTraceFile, WarningLog, type Span } from "@jotty/analyzer";
import { afterAll, expect, it } from "vitest";
import { cpuHotspotsByOperation } from "@jotty/engine/engine";
import type { CpuProfile } from "../../src/cpu-profile/index.js";
import { expectValidCpuProfile } from "./assertions.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-register-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("JOTTY_CPU_PROFILE=1 profiles a whole app: enriched spans in the traces file, one .cpuprofile", async () => {
  const tracesFile = join(dir, "traces.jsonl");
  const run = spawnSync(process.execPath, ["--import", "@jotty/otel/register", join(fixtures, "cpu-app.mjs")], {
    cwd: fixtures,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      JOTTY_CPU_PROFILE: "1",
      JOTTY_CPU_PROFILE_DIR: join(dir, "profiles"),
      JOTTY_TRACES_FILE: tracesFile,
      OTEL_SERVICE_NAME: "cpu-app",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_METRICS_EXPORTER: "none",
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);

  const spans: Span[] = [];
  await readTraceFile(tracesFile, (span) => spans.push(span), new WarningLog());
  expect(spans.map((s) => s.name).sort()).toEqual(["agent-run", "ask-model", "validate"]);
  // Every segment, the last ones of the script too, is written out with its slice.
  for (const span of spans)
    expect(
      span.events?.map((e) => e.name),
      span.name,
    ).toContain("jotty.cpu_profile");
  const validate = spans.find((s) => s.name === "validate")!;
  const path = validate.attributes["jotty.cpu_profile.path"] as string;
  expect(path).toMatch(new RegExp(`cpu-app-${run.pid}-\\d{8}T\\d{6}Z\\.cpuprofile$`));
  expect(readdirSync(join(dir, "profiles"))).toEqual([path.split("/").at(-1)]);
  expect(existsSync(path)).toBe(true);
  expectValidCpuProfile(JSON.parse(readFileSync(path, "utf8")) as CpuProfile);

  const rows = cpuHotspotsByOperation(spans);
  const busy = rows.find((r) => r.name === "validate")!;
  expect(busy.topFunctions[0]!.function).toBe("jottyAppValidate");
  const wait = rows.find((r) => r.name === "ask-model");
  expect(wait?.topFunctions.map((f) => f.function) ?? []).not.toContain("jottyAppValidate");
});
