#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow checker, a Go module) once into the cache, for
# scripts/test/workflows.test.ts. Prints the binary's path.
set -euo pipefail
version=v1.7.12
dir="${JOTTY_CACHE_DIR:-$HOME/.cache/jotty}/tools/actionlint-$version"
if [[ ! -x "$dir/actionlint" ]]; then
  go_install_dir="${JOTTY_GO_INSTALL_DIR:-/usr/local/go/bin}"
  if ! command -v go >/dev/null 2>&1 && [[ -x "$go_install_dir/go" ]]; then export PATH="$go_install_dir:$PATH"; fi
  GOBIN="$dir" go install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
fi
echo "$dir/actionlint"
