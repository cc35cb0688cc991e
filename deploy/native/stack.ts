// Runs the real collector, Jaeger v2 and Prometheus natively (no Docker) with the same config
// files as docker-compose.yml, on ports chosen at run time, in a temp dir.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployDir, stackAvailability, stackBinaries } from "./binaries.ts";
import { freePorts } from "./free-port.ts";
import { ManagedProcess } from "./managed-process.ts";

export { stackAvailability } from "./binaries.ts";

/** How long traces and series are kept unless JOTTY_RETENTION says otherwise (as in compose). */
export const DEFAULT_RETENTION = "168h";

export interface StackPorts {
  otlpGrpc: number;
  otlpHttp: number;
  collectorMetrics: number;
  collectorHealth: number;
  collectorTelemetry: number;
  jaegerOtlpGrpc: number;
  jaegerOtlpHttp: number;
  jaegerQueryHttp: number;
  jaegerQueryGrpc: number;
  jaegerHealth: number;
  jaegerMetrics: number;
  prometheus: number;
}

export interface StackOptions {
  /** Fixed ports (the CLI uses the compose ones); any port not given is chosen free at run time. */
  ports?: Partial<StackPorts>;
  /** Working dir for logs and generated configs; default a new temp dir. */
  dir?: string;
  /** Where Jaeger (Badger) and Prometheus (TSDB) keep their data; default `<dir>/data`. */
  dataDir?: string;
  /** Jaeger's trace store: Badger on disk (default) or the bounded in-memory store. */
  traceStorage?: "badger" | "memstore";
  /** A built Jaeger UI folder to serve instead of the one compiled into the binary. */
  jaegerUi?: string;
  /** Prometheus scrape and rule interval; short by default so tests see series quickly. */
  scrapeInterval?: string;
  /** spanmetrics connector flush interval. */
  spanMetricsFlushInterval?: string;
  /** Collector batch processor timeout. */
  batchTimeout?: string;
  /** Deadline for each process to become healthy. */
  startTimeoutMs?: number;
  /** Leave the processes running after this Node process exits (the `pnpm stack up` CLI). */
  detached?: boolean;
}

export interface RunningStack {
  otlpHttpUrl: string;
  otlpGrpcEndpoint: string;
  jaegerUrl: string;
  prometheusUrl: string;
  /** The collector's prometheus exporter (span metrics, token/cost sums), what Prometheus scrapes. */
  collectorMetricsUrl: string;
  /** The collector's own telemetry (otelcol_* counters: received, refused, sent, failed). */
  collectorTelemetryUrl: string;
  ports: StackPorts;
  dir: string;
  pids(): Record<"collector" | "jaeger" | "prometheus", number | undefined>;
  stopCollector(): Promise<void>;
  startCollector(): Promise<void>;
  /** Jaeger crashes (SIGKILL); startJaeger() brings it back on the same ports and data. */
  killJaeger(): Promise<void>;
  startJaeger(): Promise<void>;
  stop(): Promise<void>;
}

const portNames: (keyof StackPorts)[] = [
  "otlpGrpc",
  "otlpHttp",
  "collectorMetrics",
  "collectorHealth",
  "collectorTelemetry",
  "jaegerOtlpGrpc",
  "jaegerOtlpHttp",
  "jaegerQueryHttp",
  "jaegerQueryGrpc",
  "jaegerHealth",
  "jaegerMetrics",
  "prometheus",
];

async function choosePorts(fixed: Partial<StackPorts> = {}): Promise<StackPorts> {
  const free = await freePorts(portNames.length);
  const ports = {} as StackPorts;
  for (const [i, name] of portNames.entries()) ports[name] = fixed[name] ?? free[i]!;
  return ports;
}

/** prometheus.yml with the native target port and intervals (Prometheus cannot expand env vars there). */
export function nativePrometheusConfig(ports: StackPorts, interval: string): string {
  const source = readFileSync(join(deployDir, "prometheus", "prometheus.yml"), "utf8");
  const replaced = source
    .replace(/"collector:8889"/, `"127.0.0.1:${ports.collectorMetrics}"`)
    .replace(/scrape_interval: \S+/, `scrape_interval: ${interval}`)
    .replace(/evaluation_interval: \S+/, `evaluation_interval: ${interval}`);
  if (!replaced.includes(`127.0.0.1:${ports.collectorMetrics}`)) {
    throw new Error("deploy/prometheus/prometheus.yml no longer contains the target collector:8889");
  }
  return replaced;
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const availability = stackAvailability();
  if (!availability.ok) throw new Error(`native stack unavailable: missing ${availability.missing}`);
  // A port chosen free can be taken by someone else before our process binds it: choose again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(options, await choosePorts(options.ports));
    } catch (error) {
      const portTaken = error instanceof Error && /address already in use/.test(error.message);
      if (!portTaken || attempt === 3) throw error;
    }
  }
}

async function startStackOnce(options: StackOptions, ports: StackPorts): Promise<RunningStack> {
  const bins = stackBinaries();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "jotty-stack-"));
  const dataDir = options.dataDir ?? join(dir, "data");
  const promData = join(dataDir, "prometheus");
  mkdirSync(promData, { recursive: true });
  const retention = process.env.JOTTY_RETENTION ?? DEFAULT_RETENTION;
  const deadline = options.startTimeoutMs ?? 60_000;
  const host = "127.0.0.1";
  const prometheusUrl = `http://${host}:${ports.prometheus}`;

  const promConfig = join(dir, "prometheus.yml");
  writeFileSync(promConfig, nativePrometheusConfig(ports, options.scrapeInterval ?? "1s"));
  writeFileSync(join(dir, "rules.yml"), readFileSync(join(deployDir, "prometheus", "rules.yml")));

  const prometheus = new ManagedProcess({
    name: "prometheus",
    command: bins.prometheus,
    args: [
      `--config.file=${promConfig}`,
      `--storage.tsdb.path=${promData}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=${host}:${ports.prometheus}`,
      // A 0 sample at each new series' created timestamp, so increase() counts its first batch.
      "--enable-feature=created-timestamp-zero-ingestion",
    ],
    cwd: dir,
    logFile: join(dir, "prometheus.log"),
    healthUrl: `${prometheusUrl}/-/ready`,
    detached: options.detached,
  });
  const jaeger = new ManagedProcess({
    name: "jaeger",
    command: bins.jaeger,
    args: [`--config=${join(deployDir, "jaeger", "config.yaml")}`],
    env: {
      JAEGER_HOST: host,
      JAEGER_OTLP_GRPC_PORT: String(ports.jaegerOtlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(ports.jaegerOtlpHttp),
      JAEGER_QUERY_HTTP_PORT: String(ports.jaegerQueryHttp),
      JAEGER_QUERY_GRPC_PORT: String(ports.jaegerQueryGrpc),
      JAEGER_HEALTH_PORT: String(ports.jaegerHealth),
      JAEGER_METRICS_PORT: String(ports.jaegerMetrics),
      PROMETHEUS_URL: prometheusUrl,
      JAEGER_TRACE_STORAGE: options.traceStorage ?? "badger",
      JAEGER_BADGER_DIR: join(dataDir, "jaeger"),
      JOTTY_RETENTION: retention,
      JAEGER_UI_ASSETS_PATH: options.jaegerUi ?? "",
    },
    cwd: dir,
    logFile: join(dir, "jaeger.log"),
    healthUrl: `http://${host}:${ports.jaegerHealth}/status`,
    detached: options.detached,
  });
  const collector = new ManagedProcess({
    name: "collector",
    command: bins.collector,
    args: [`--config=${join(deployDir, "otel-collector", "config.yaml")}`],
    env: {
      COLLECTOR_HOST: host,
      COLLECTOR_OTLP_GRPC_PORT: String(ports.otlpGrpc),
      COLLECTOR_OTLP_HTTP_PORT: String(ports.otlpHttp),
      COLLECTOR_PROMETHEUS_PORT: String(ports.collectorMetrics),
      COLLECTOR_HEALTH_PORT: String(ports.collectorHealth),
      COLLECTOR_TELEMETRY_PORT: String(ports.collectorTelemetry),
      COLLECTOR_SPANMETRICS_FLUSH_INTERVAL: options.spanMetricsFlushInterval ?? "1s",
      COLLECTOR_BATCH_TIMEOUT: options.batchTimeout ?? "200ms",
      JAEGER_OTLP_GRPC_ENDPOINT: `${host}:${ports.jaegerOtlpGrpc}`,
    },
    cwd: dir,
    logFile: join(dir, "collector.log"),
    healthUrl: `http://${host}:${ports.collectorHealth}/`,
    detached: options.detached,
  });

  const all = [prometheus, jaeger, collector];
  const stop = async (): Promise<void> => {
    await Promise.all(all.map((p) => p.stop()));
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of all) p.start();
    await Promise.all(all.map((p) => p.waitHealthy(deadline)));
  } catch (error) {
    await Promise.all(all.map((p) => p.stop()));
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    otlpHttpUrl: `http://${host}:${ports.otlpHttp}`,
    otlpGrpcEndpoint: `${host}:${ports.otlpGrpc}`,
    jaegerUrl: `http://${host}:${ports.jaegerQueryHttp}`,
    prometheusUrl,
    collectorMetricsUrl: `http://${host}:${ports.collectorMetrics}/metrics`,
    collectorTelemetryUrl: `http://${host}:${ports.collectorTelemetry}/metrics`,
    ports,
    dir,
    pids: () => ({ collector: collector.pid, jaeger: jaeger.pid, prometheus: prometheus.pid }),
    stopCollector: () => collector.stop(),
    startCollector: () => startAgain(collector, deadline),
    killJaeger: () => jaeger.kill(),
    startJaeger: () => startAgain(jaeger, deadline),
    stop,
  };
}

async function startAgain(process: ManagedProcess, deadlineMs: number): Promise<void> {
  process.start();
  await process.waitHealthy(deadlineMs);
}
