// What `node --import @jotty/otel/register` loads before the app runs, in a real child process on
// the built dist/ (run `pnpm build` first): nothing of the SDK parts our pipeline does not use,
// and the exporters only once something is exported, so a heavy import cannot creep back into
// every start.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));

interface Loaded {
  loaded: string[];
  builtins: string[];
}

function startUp(env: Record<string, string> = {}, app = "empty-app.mjs"): Loaded {
  const run = spawnSync(process.execPath, ["--import", "./module-list-hooks.mjs", "--import", "@jotty/otel/register", app], {
    cwd: fixtures,
    encoding: "utf8",
    // A closed port: the exit flush finds no collector at once.
    env: { ...process.env, NODE_OPTIONS: "", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", ...env },
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Loaded;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The packages (by name) the loaded files belong to. */
function packagesOf(urls: string[]): Set<string> {
  const names = new Set<string>();
  for (const url of urls) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(url);
    if (match) names.add(match[1]!);
  }
  return names;
}

// Never at start-up, whatever the configuration (gRPC, YAML, NodeSDK and what only it loads).
const NEVER = ["@grpc/grpc-js", "yaml", "@opentelemetry/sdk-node", "@opentelemetry/sdk-logs", "@opentelemetry/exporter-zipkin", "@opentelemetry/configuration"];
// Loaded by the first span, the first export or when configured, not by the default start.
const NOT_BY_DEFAULT = [
  "@opentelemetry/sdk-trace",
  "@opentelemetry/core",
  "@opentelemetry/resources",
  "@opentelemetry/semantic-conventions",
  "@opentelemetry/sdk-metrics",
  "@opentelemetry/instrumentation",
  "require-in-the-middle",
  "import-in-the-middle",
  "@opentelemetry/otlp-transformer",
  "@opentelemetry/otlp-exporter-base",
  "protobufjs",
  "@opentelemetry/exporter-prometheus",
  "@opentelemetry/propagator-b3",
  "@pydantic/genai-prices",
  "@smithy/core",
];

describe("modules loaded by --import @jotty/otel/register", () => {
  beforeAll(() => {
    if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  });

  it("the default start loads no gRPC, YAML, NodeSDK, trace or metrics SDK, instrumentation framework, exporter, serializer, catalog or Node's undici", () => {
    const { loaded, builtins } = startUp();
    const packages = packagesOf(loaded);
    expect(packages.has("@opentelemetry/api")).toBe(true); // the list is real
    expect([...NEVER, ...NOT_BY_DEFAULT].filter((name) => packages.has(name))).toEqual([]);
    // Node loads its fetch implementation on first use; an app that never fetches does not pay for it.
    expect(builtins.filter((m) => m.includes("internal/deps/undici"))).toEqual([]);
    // Nor for node:http, zlib, child processes, the inspector or perf_hooks (an exit with nothing to flush).
    expect(builtins.filter((m) => /^NativeModule (_http_client|zlib|child_process|inspector|perf_hooks)$/.test(m))).toEqual([]);
  });

  it("with every exporter and propagator asked for, still no gRPC, YAML or NodeSDK", async () => {
    const { loaded } = startUp({
      OTEL_METRICS_EXPORTER: "otlp,prometheus,console",
      OTEL_EXPORTER_PROMETHEUS_HOST: "127.0.0.1",
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
      OTEL_TRACES_EXPORTER: "otlp,console",
      OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
      OTEL_PROPAGATORS: "tracecontext,baggage,b3",
    });
    const packages = packagesOf(loaded);
    // Prometheus is scraped from a server that listens from the start; B3 loads with the first request.
    expect(packages.has("@opentelemetry/exporter-prometheus")).toBe(true);
    expect(packages.has("@opentelemetry/propagator-b3")).toBe(false);
    expect(NEVER.filter((name) => packages.has(name))).toEqual([]);
  });

  it("an app that makes a span loads the trace SDK then, and still no gRPC, YAML or NodeSDK", () => {
    const dir = mkdtempSync(join(tmpdir(), "jotty-startup-"));
    try {
      const tracesFile = join(dir, "traces.jsonl");
      const { loaded } = startUp({ JOTTY_TRACES_FILE: tracesFile }, "one-span-app.mjs");
      const packages = packagesOf(loaded);
      expect(packages.has("@opentelemetry/sdk-trace")).toBe(true);
      expect(NEVER.filter((name) => packages.has(name))).toEqual([]);
      // The span made the lazily built pipeline write it out before the process ended.
      expect(readFileSync(tracesFile, "utf8")).toContain('"name":"one-span-work"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
