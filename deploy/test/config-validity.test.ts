// The deploy/ configs are accepted by the real tools that run them, and stay in step with each
// other (image tags, builder manifest, versions.env).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deployDir, findOnPath, readVersions, repoDir, stackBinaries } from "../native/binaries.ts";
import { nativePrometheusConfig, type StackPorts } from "../native/stack.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const bins = stackBinaries();
const versions = readVersions();
const scratch = mkdtempSync(join(tmpdir(), "jotty-config-validity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(command, args, { cwd: repoDir, env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" });
}

interface ComposeFile {
  services: Record<string, { image: string; ports?: string[]; healthcheck?: unknown; network_mode?: string }>;
}
const compose = parse(readFileSync(join(repoDir, "docker-compose.yml"), "utf8")) as ComposeFile;

describe("docker-compose.yml", () => {
  const dockerCompose = findOnPath("docker-compose");
  it.skipIf(!dockerCompose && process.env.CI !== "true")("is accepted by `docker-compose config`", () => {
    expect(() => run("docker-compose", ["-f", "docker-compose.yml", "config", "-q"])).not.toThrow();
  });

  it("binds every published port to 127.0.0.1 and health-checks every service", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, `${name} ${port}`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      const checked = service.healthcheck ?? compose.services[`${name}-health`]?.healthcheck;
      if (!service.network_mode) expect(checked, `${name} health check`).toBeDefined();
    }
  });

  it("pins the same versions the native stack builds", () => {
    expect(compose.services.collector!.image).toBe(`otel/opentelemetry-collector-contrib:${versions.OTELCOL_VERSION}`);
    expect(compose.services.jaeger!.image).toBe(`jaegertracing/jaeger:${versions.JAEGER_VERSION}`);
    expect(compose.services.prometheus!.image).toBe(`prom/prometheus:v${versions.PROMETHEUS_VERSION}`);
    // Prometheus 3.x.y is Go module v0.3xx.y.
    const [major, minor, patch] = versions.PROMETHEUS_VERSION.split(".");
    expect(versions.PROMETHEUS_MODULE_VERSION).toBe(`v0.${major}${minor!.padStart(2, "0")}.${patch}`);
    const manifest = readFileSync(join(deployDir, "otel-collector", "builder-config.yaml"), "utf8");
    const componentVersions = [...manifest.matchAll(/gomod: \S+ v(0\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(componentVersions.length).toBeGreaterThan(5);
    expect(new Set(componentVersions)).toEqual(new Set([versions.OTELCOL_VERSION]));
    expect(manifest).toContain(`version: ${versions.OTELCOL_VERSION}`);
  });
});

describe.skipIf(skipStackTests)("collector, Jaeger and Prometheus configs", () => {
  it("the collector binary validates deploy/otel-collector/config.yaml (compose and native values)", () => {
    const config = `--config=${join(deployDir, "otel-collector", "config.yaml")}`;
    expect(() => run(bins.collector, ["validate", config])).not.toThrow();
    expect(() =>
      run(bins.collector, ["validate", config], {
        COLLECTOR_HOST: "127.0.0.1",
        COLLECTOR_OTLP_HTTP_PORT: "14318",
        JAEGER_OTLP_GRPC_ENDPOINT: "127.0.0.1:24317",
      }),
    ).not.toThrow();
  });

  it("the collector binary rejects a broken config (so validation means something)", () => {
    const broken = join(scratch, "broken-collector.yaml");
    writeFileSync(broken, readFileSync(join(deployDir, "otel-collector", "config.yaml"), "utf8").replace("memory_limiter:\n", "memory_limitr:\n"));
    expect(() => run(bins.collector, ["validate", `--config=${broken}`])).toThrow();
  });

  it("the collector was built from the manifest's components", () => {
    const components = run(bins.collector, ["components"]);
    for (const name of [
      "otlp",
      "memory_limiter",
      "batch",
      "transform",
      "span_metrics",
      "signal_to_metrics",
      "otlp_grpc",
      "prometheus",
      "load_balancing",
      "health_check",
    ]) {
      expect(components).toContain(`name: ${name}\n`);
    }
    expect(run(bins.collector, ["--version"])).toContain(versions.OTELCOL_VERSION);
  });

  it("the Jaeger binary validates deploy/jaeger/config.yaml (Badger and memstore)", () => {
    const config = `--config=${join(deployDir, "jaeger", "config.yaml")}`;
    expect(() => run(bins.jaeger, ["validate", config])).not.toThrow();
    expect(() => run(bins.jaeger, ["validate", config], { JAEGER_TRACE_STORAGE: "memstore" })).not.toThrow();
  });

  it("the native Prometheus is the compose version", () => {
    expect(run(bins.prometheus, ["--version"])).toContain(`version ${versions.PROMETHEUS_VERSION}`);
  });

  it("promtool accepts prometheus.yml, its rules, and the native copy", () => {
    const out = run(bins.promtool, ["check", "config", join(deployDir, "prometheus", "prometheus.yml")]);
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    const ports = { collectorMetrics: 18889 } as StackPorts;
    writeFileSync(join(scratch, "prometheus.yml"), nativePrometheusConfig(ports, "1s"));
    writeFileSync(join(scratch, "rules.yml"), readFileSync(join(deployDir, "prometheus", "rules.yml")));
    expect(run(bins.promtool, ["check", "config", join(scratch, "prometheus.yml")])).toMatch(/is valid prometheus config/);
    expect(readFileSync(join(scratch, "prometheus.yml"), "utf8")).toContain('"127.0.0.1:18889"');
  });
});
