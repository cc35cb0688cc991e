// Where deploy/native/build.sh puts the stack binaries, and whether they are there.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const deployDir = fileURLToPath(new URL("../", import.meta.url));
export const repoDir = fileURLToPath(new URL("../../", import.meta.url));

export interface StackVersions {
  OTELCOL_VERSION: string;
  JAEGER_VERSION: string;
  JAEGER_MODULE_VERSION: string;
  PROMETHEUS_VERSION: string;
  PROMETHEUS_MODULE_VERSION: string;
}

export function readVersions(): StackVersions {
  const text = readFileSync(join(deployDir, "native", "versions.env"), "utf8");
  const entries = text
    .split("\n")
    .map((line) => /^([A-Z_]+)=(\S+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]] as const);
  return Object.fromEntries(entries) as unknown as StackVersions;
}

export function stackCacheDir(): string {
  return process.env.JOTTY_STACK_CACHE ?? join(homedir(), ".cache", "jotty", "stack");
}

/** The collector's cache dir, keyed by version and builder manifest (as deploy/native/build.sh does). */
export function collectorDir(version = readVersions().OTELCOL_VERSION): string {
  const manifest = readFileSync(join(deployDir, "otel-collector", "builder-config.yaml"));
  const hash = createHash("sha256").update(manifest).digest("hex").slice(0, 12);
  return join(stackCacheDir(), `otelcol-${version}-${hash}`);
}

/** Where Go's official installer puts it; a non-login shell may not have it on PATH. */
const GO_INSTALL_DIR = "/usr/local/go/bin/go";

export interface StackBinaries {
  collector: string;
  jaeger: string;
  prometheus: string;
  promtool: string;
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function stackBinaries(): StackBinaries {
  const v = readVersions();
  const cache = stackCacheDir();
  return {
    collector: join(collectorDir(v.OTELCOL_VERSION), "otelcol-jotty"),
    jaeger: join(cache, `jaeger-${v.JAEGER_VERSION}`, "jaeger"),
    prometheus: join(cache, `prometheus-${v.PROMETHEUS_VERSION}`, "prometheus"),
    promtool: join(cache, `prometheus-${v.PROMETHEUS_VERSION}`, "promtool"),
  };
}

export type StackAvailability = { ok: true } | { ok: false; missing: string };

/** Whether the native stack can start here; `missing` is one line saying what to install. */
export function stackAvailability(): StackAvailability {
  const bins = stackBinaries();
  const unbuilt = Object.entries(bins)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
  if (unbuilt.length === 0) return { ok: true };
  const hasGo = findOnPath("go") ?? (existsSync(GO_INSTALL_DIR) ? GO_INSTALL_DIR : undefined);
  return {
    ok: false,
    missing: hasGo
      ? `${unbuilt.join("/")} binaries not built (run: bash deploy/native/build.sh)`
      : "Go (needed once to build the collector, Jaeger and Prometheus: deploy/native/build.sh)",
  };
}
