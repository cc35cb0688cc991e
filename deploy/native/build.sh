#!/usr/bin/env bash
# Builds the native collector stack binaries, or reuses them from the cache:
#   collector  ~/.cache/jotty/stack/otelcol-<ver>-<manifest hash>/otelcol-jotty (OpenTelemetry
#              Collector Builder, from deploy/otel-collector/builder-config.yaml; keyed by the
#              manifest's hash too, so checkouts with different component lists, e.g. an older
#              commit in CI, each keep their own binary instead of rebuilding over each other's)
#   jaeger     ~/.cache/jotty/stack/jaeger-<ver>/jaeger           (Jaeger v2 from its Go module)
#   prometheus ~/.cache/jotty/stack/prometheus-<ver>/{prometheus,promtool} (Prometheus 3.x from its
#              Go module, the same release as compose's prom/prometheus image; no Debian package)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
cache="${JOTTY_STACK_CACHE:-$HOME/.cache/jotty/stack}"
FIRST_BUILD_ESTIMATE="about 15 min on 2 idle cores (about 1,750 CPU-seconds; 40 min measured on a shared, loaded 2-core machine) and about 9 GB of disk (Go module and build caches, 8.4 GB of it freed afterwards by: go clean -cache -modcache)"
mkdir -p "$cache"

# Go's official install lives in /usr/local/go/bin, which a non-login shell may not have on PATH.
go_install_dir="${JOTTY_GO_INSTALL_DIR:-/usr/local/go/bin}"
if ! command -v go >/dev/null 2>&1 && [[ -x "$go_install_dir/go" ]]; then
  export PATH="$go_install_dir:$PATH"
fi

announced=""
need_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "deploy/native/build.sh: Go is not installed (needed once to build the collector, Jaeger and Prometheus; see docs/stack.md)" >&2
    exit 1
  fi
  if [[ -z "$announced" ]]; then
    announced=1
    # Measured figures, see docs/stack.md ("First build").
    echo "First build of the native stack: $FIRST_BUILD_ESTIMATE. Later runs reuse $cache."
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

build_prometheus() {
  local dir="$cache/prometheus-$PROMETHEUS_VERSION"
  if [[ -x "$dir/prometheus" && -x "$dir/promtool" ]]; then
    echo "prometheus $PROMETHEUS_VERSION: cached $dir/prometheus"
    return
  fi
  need_go
  local start; start="$(now)"
  local mod="github.com/prometheus/prometheus"
  local src="$cache/src/prometheus-$PROMETHEUS_VERSION"
  mkdir -p "$(dirname "$src")" "$dir"
  local moddir; moddir="$(go mod download -json "$mod@$PROMETHEUS_MODULE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  # Built inside a copy of the module, so its own go.mod (replace/exclude lines) and go.sum apply.
  rm -rf "$src" && cp -r "$moddir" "$src" && chmod -R u+w "$src"
  # The cloud service discoveries (Kubernetes, AWS, Azure, GCE, ...) are much of Prometheus' build
  # time and unused by this stack (static targets only): the file registering them is emptied.
  # file_sd and http_sd (plugins/minimum.go) stay.
  printf 'package plugins\n' > "$src/plugins/plugins.go"
  local ver="github.com/prometheus/common/version"
  (
    cd "$src"
    # Since 3.16 the module ships a go.work naming folders its module zip leaves out: build the
    # module alone, with its own go.mod and go.sum.
    export GOWORK=off
    for cmd in prometheus promtool; do
      go build -trimpath -o "$dir/$cmd.tmp" \
        -ldflags "-X $ver.Version=$PROMETHEUS_VERSION -X $ver.Branch=jotty-native" "./cmd/$cmd"
    done
  ) > "$dir/build.log" 2>&1 || {
    tail -n 20 "$dir/build.log" >&2
    echo "deploy/native/build.sh: prometheus build failed (full log: $dir/build.log)" >&2
    exit 1
  }
  mv "$dir/prometheus.tmp" "$dir/prometheus"
  mv "$dir/promtool.tmp" "$dir/promtool"
  echo "prometheus $PROMETHEUS_VERSION: built $dir/prometheus in $(took "$start")"
}

total="$(now)"
build_collector
build_jaeger
build_prometheus
echo "native stack binaries ready in $(took "$total")"
