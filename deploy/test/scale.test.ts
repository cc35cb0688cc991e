// deploy/scale/ (past one machine) is accepted by the tools that run it, and its load-balancing
// tier runs here: an OTLP client sends traces whose spans are split over several requests to a
// tier-1 collector (load_balancing exporter, routing by trace id), which spreads them over three
// tier-2 collectors (the one-machine config plus deploy/scale/collector-backend.yaml) writing to
// one Jaeger. No span is lost, and every trace arrives whole through a single tier-2 collector.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deployDir, findOnPath, repoDir, stackBinaries } from "../native/binaries.ts";
import { freePorts } from "../native/free-port.ts";
import { ManagedProcess } from "../native/managed-process.ts";
import { jaegerTrace } from "./helpers/query.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const scale = join(deployDir, "scale");
const bins = stackBinaries();
const scratch = mkdtempSync(join(tmpdir(), "jotty-scale-"));
const running: ManagedProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  rmSync(scratch, { recursive: true, force: true });
});

function run(command: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(command, args, { cwd: repoDir, env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" });
}

describe("deploy/scale/docker-compose.yml", () => {
  it.skipIf(!findOnPath("docker-compose") && process.env.CI !== "true")("is accepted by `docker-compose config`", () => {
    expect(() => run("docker-compose", ["-f", join(scale, "docker-compose.yml"), "config", "-q"])).not.toThrow();
  });
});

describe.skipIf(skipStackTests)("deploy/scale configs", () => {
  it("the collector validates the load-balancing tier and the tier-2 overlay", () => {
    expect(() => run(bins.collector, ["validate", `--config=${join(scale, "collector-lb.yaml")}`])).not.toThrow();
    const tier2 = [`--config=${join(deployDir, "otel-collector", "config.yaml")}`, `--config=${join(scale, "collector-backend.yaml")}`];
    expect(() => run(bins.collector, ["validate", ...tier2], { COLLECTOR_NAME: "collector-1" })).not.toThrow();
  });

  it("Jaeger validates its config with the Elasticsearch overlay", () => {
    const configs = [`--config=${join(deployDir, "jaeger", "config.yaml")}`, `--config=${join(scale, "jaeger-elasticsearch.yaml")}`];
    expect(() => run(bins.jaeger, ["validate", ...configs], { JAEGER_TRACE_STORAGE: "elasticsearch" })).not.toThrow();
  });

  it("promtool accepts the shard (with the one-machine rules) and the global Prometheus", () => {
    copyFileSync(join(scale, "prometheus-shard.yml"), join(scratch, "prometheus-shard.yml"));
    copyFileSync(join(deployDir, "prometheus", "rules.yml"), join(scratch, "rules.yml"));
    expect(run(bins.promtool, ["check", "config", join(scratch, "prometheus-shard.yml")])).toMatch(/SUCCESS: 10 rules found/);
    expect(run(bins.promtool, ["check", "config", join(scale, "prometheus-global.yml")])).toMatch(/valid prometheus config/);
  });
});

const TRACES = 60;
const SPANS_PER_TRACE = 5;

/** OTLP JSON with span `index` of every trace: each request holds one span of each trace. */
function otlpBatch(traceIds: string[], index: number): object {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = traceIds.map((traceId) => ({
    traceId,
    spanId: randomBytes(8).toString("hex"),
    name: `op-${index}`,
    kind: 1,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
  }));
  return { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "jotty-scale-test" } }] }, scopeSpans: [{ spans }] }] };
}

describe.skipIf(skipStackTests)("load-balancing tier, run natively", () => {
  it("keeps every span and every trace whole on one tier-2 collector", async () => {
    const host = "127.0.0.1";
    const [lbHttp, lbGrpc, lbHealth, lbTelemetry, jaegerGrpc, jaegerHttp, jaegerQuery, jaegerQueryGrpc, jaegerHealth, jaegerMetrics, ...tier2Ports] =
      await freePorts(10 + 3 * 5);
    const process = (name: string, command: string, args: string[], env: Record<string, string>, healthUrl: string): ManagedProcess => {
      const p = new ManagedProcess({ name, command, args, env, cwd: scratch, logFile: join(scratch, `${name}.log`), healthUrl });
      running.push(p);
      p.start();
      return p;
    };
    const jaeger = process(
      "jaeger",
      bins.jaeger,
      [`--config=${join(deployDir, "jaeger", "config.yaml")}`],
      {
        JAEGER_HOST: host,
        JAEGER_OTLP_GRPC_PORT: String(jaegerGrpc),
        JAEGER_OTLP_HTTP_PORT: String(jaegerHttp),
        JAEGER_QUERY_HTTP_PORT: String(jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(jaegerQueryGrpc),
        JAEGER_HEALTH_PORT: String(jaegerHealth),
        JAEGER_METRICS_PORT: String(jaegerMetrics),
        JAEGER_TRACE_STORAGE: "memstore",
        JAEGER_BADGER_DIR: join(scratch, "badger"),
        PROMETHEUS_URL: `http://${host}:1`,
      },
      `http://${host}:${jaegerHealth}/status`,
    );
    const backends = [1, 2, 3].map((n) => {
      const [grpc, http, prom, health, telemetry] = tier2Ports.slice((n - 1) * 5, n * 5).map(String);
      return {
        endpoint: `${host}:${grpc}`,
        process: process(
          `collector-${n}`,
          bins.collector,
          [`--config=${join(deployDir, "otel-collector", "config.yaml")}`, `--config=${join(scale, "collector-backend.yaml")}`],
          {
            COLLECTOR_NAME: `collector-${n}`,
            COLLECTOR_HOST: host,
            COLLECTOR_OTLP_GRPC_PORT: grpc!,
            COLLECTOR_OTLP_HTTP_PORT: http!,
            COLLECTOR_PROMETHEUS_PORT: prom!,
            COLLECTOR_HEALTH_PORT: health!,
            COLLECTOR_TELEMETRY_PORT: telemetry!,
            JAEGER_OTLP_GRPC_ENDPOINT: `${host}:${jaegerGrpc}`,
            COLLECTOR_BATCH_TIMEOUT: "200ms",
          },
          `http://${host}:${health}/`,
        ),
      };
    });
    const lb = process(
      "collector-lb",
      bins.collector,
      [`--config=${join(scale, "collector-lb.yaml")}`],
      {
        COLLECTOR_HOST: host,
        COLLECTOR_OTLP_HTTP_PORT: String(lbHttp),
        COLLECTOR_OTLP_GRPC_PORT: String(lbGrpc),
        COLLECTOR_HEALTH_PORT: String(lbHealth),
        COLLECTOR_TELEMETRY_PORT: String(lbTelemetry),
        BACKEND_1: backends[0]!.endpoint,
        BACKEND_2: backends[1]!.endpoint,
        BACKEND_3: backends[2]!.endpoint,
      },
      `http://${host}:${lbHealth}/`,
    );
    await Promise.all([jaeger, lb, ...backends.map((b) => b.process)].map((p) => p.waitHealthy(60_000)));

    const traceIds = Array.from({ length: TRACES }, () => randomBytes(16).toString("hex"));
    for (let index = 0; index < SPANS_PER_TRACE; index++) {
      const response = await fetch(`http://${host}:${lbHttp}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(otlpBatch(traceIds, index)),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }

    const handledBy = new Map<string, number>();
    for (const traceId of traceIds) {
      const spans = await jaegerTrace(`http://${host}:${jaegerQuery}`, traceId, SPANS_PER_TRACE, 60_000);
      expect(spans, `trace ${traceId}`).toHaveLength(SPANS_PER_TRACE);
      const collectors = new Set(spans.map((s) => s.resourceAttributes["jotty.collector"]));
      expect([...collectors], `trace ${traceId} went through one tier-2 collector`).toHaveLength(1);
      const name = String([...collectors][0]);
      handledBy.set(name, (handledBy.get(name) ?? 0) + 1);
    }
    // Routing spreads the traces: every tier-2 collector handled some.
    expect([...handledBy.keys()].sort()).toEqual(["collector-1", "collector-2", "collector-3"]);
  }, 180_000);
});
