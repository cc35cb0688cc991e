#!/usr/bin/env bash
# Builds the native collector stack binaries, or reuses them from the cache:
#   collector  ~/.cache/jotty/stack/otelcol-<ver>-<manifest hash>/otelcol-jotty (OpenTelemetry
#              Collector Builder, from deploy/otel-collector/builder-config.yaml; keyed by the
#              manifest's hash too, so checkouts with different component lists, e.g. an older
#              commit in CI, each keep their own binary instead of rebuilding over each other's)
#   jaeger     ~/.cache/jotty/stack/jaeger-<ver>/jaeger           (Jaeger v2 from its Go module)
# Prometheus/promtool come from the Debian package (apt-get install prometheus).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
cache="${JOTTY_STACK_CACHE:-$HOME/.cache/jotty/stack}"
mkdir -p "$cache"

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "deploy/native/build.sh: Go is not installed (needed once to build the collector and Jaeger; see README, 'The collector stack')" >&2
    exit 1
  fi
}

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# One build at a time per cache (tests and CI may call this concurrently).
exec 9>"$cache/build.lock"
flock 9

build_collector() {
  local manifest="$repo/deploy/otel-collector/builder-config.yaml"
  # Same key as collectorDir() in binaries.ts.
  local dir; dir="$cache/otelcol-$OTELCOL_VERSION-$(sha256sum "$manifest" | cut -c1-12)"
  local bin="$dir/otelcol-jotty"
  if [[ -x "$bin" ]]; then
    echo "collector $OTELCOL_VERSION: cached $bin"
    return
  fi
  need_go
  local start; start="$(now)"
  local builder="$cache/tools/builder-v$OTELCOL_VERSION/builder"
  if [[ ! -x "$builder" ]]; then
    GOBIN="$(dirname "$builder")" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  fi
  mkdir -p "$dir"
  sed "s|^dist:|dist:\n  output_path: $dir/build|" "$manifest" > "$dir/builder-config.yaml"
  (cd "$dir" && "$builder" --config "$dir/builder-config.yaml" > "$dir/build.log" 2>&1) || {
    tail -n 20 "$dir/build.log" >&2
    echo "deploy/native/build.sh: collector build failed (full log: $dir/build.log)" >&2
    exit 1
  }
  mv "$dir/build/otelcol-jotty" "$bin"
  echo "collector $OTELCOL_VERSION: built $bin in $(took "$start")"
}

build_jaeger() {
  local dir="$cache/jaeger-$JAEGER_VERSION"
  local bin="$dir/jaeger"
  if [[ -x "$bin" ]]; then
    echo "jaeger $JAEGER_VERSION: cached $bin"
    return
  fi
  need_go
  local start; start="$(now)"
  local mod="github.com/jaegertracing/jaeger"
  local src="$cache/src/jaeger-$JAEGER_VERSION"
  mkdir -p "$src" "$dir"
  # A throwaway main module: `go install pkg@version` refuses modules with replace directives,
  # so Jaeger's own replace lines are copied in.
  local gomod; gomod="$(go mod download -json "$mod@$JAEGER_MODULE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  {
    echo "module jotty.local/jaeger-build"
    echo
    grep '^go ' "$gomod"
    grep '^replace ' "$gomod" || true
  } > "$src/go.mod"
  (
    cd "$src"
    go get "$mod/cmd/jaeger@$JAEGER_MODULE_VERSION"
    go build -trimpath -o "$bin.tmp" \
      -ldflags "-X $mod/internal/version.latestVersion=v$JAEGER_VERSION" "$mod/cmd/jaeger"
  ) > "$dir/build.log" 2>&1 || {
    tail -n 20 "$dir/build.log" >&2
    echo "deploy/native/build.sh: jaeger build failed (full log: $dir/build.log)" >&2
    exit 1
  }
  mv "$bin.tmp" "$bin"
  echo "jaeger $JAEGER_VERSION: built $bin in $(took "$start")"
}

total="$(now)"
build_collector
build_jaeger
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "prometheus: $(command -v prometheus) ($(prometheus --version 2>&1 | head -n 1 | awk '{print $3}'))"
else
  echo "prometheus: not installed (apt-get install -y prometheus)"
fi
echo "native stack binaries ready in $(took "$total")"
