// The Prometheus exporter under `node --import @jotty/otel/register` (built dist/): its server
// listens from the start, and an LLM call captured by the lazily loaded capture shows up in the
// scrape with the recorded response's exact tokens.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { afterAll, beforeAll, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));
let server: ReplayServer;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  server = await startReplayServer();
  server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
});
afterAll(() => server.close());

it("OTEL_METRICS_EXPORTER=prometheus: the scrape counts the captured call's exact tokens", async () => {
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", "prometheus-app.mjs"], {
    cwd: fixtures,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_METRICS_EXPORTER: "prometheus",
      OTEL_EXPORTER_PROMETHEUS_HOST: "127.0.0.1",
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
      JOTTY_TRACES_FILE: "",
      LLM_BASE_URL: `${server.baseUrl}/v1`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const sum = (type: string) => new RegExp(`^gen_ai_client_token_usage\\w*_sum\\{[^}]*gen_ai_token_type="${type}"[^}]*\\} (\\d+)$`, "m").exec(stdout)?.[1];
  expect([sum("input"), sum("output")]).toEqual(["16", "363"]);
});
