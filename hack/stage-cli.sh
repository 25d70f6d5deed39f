#!/usr/bin/env bash
# Stages the built CLI as an installation needs it, into DEST: dist/, schemas/, manifests/,
# package.json and the production dependencies only (what `npm ls --omit=dev` lists, taken
# from node_modules). Run `npm run build` first. Used for the drift-detection image and to
# put kubeone into a sandbox host (kubeone local).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: stage-cli.sh DEST}
[ -f "$repo/dist/cmd/kubeone.js" ] || { echo "stage-cli: $repo/dist is missing: run npm run build" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest/node_modules"
cp -a "$repo/dist" "$repo/schemas" "$repo/manifests" "$repo/package.json" "$dest/"
cd "$repo"
# Parents sort before their nested dependencies; a nested one copied with its parent is skipped.
npm ls --omit=dev --all --parseable 2>/dev/null | sed "s|^$repo/||" | grep '^node_modules/' | LC_ALL=C sort -u |
  while read -r p; do
    [ -e "$dest/$p" ] && continue
    mkdir -p "$dest/$(dirname "$p")"
    cp -a "$repo/$p" "$dest/$p"
  done
chmod 755 "$dest/dist/cmd/kubeone.js"
