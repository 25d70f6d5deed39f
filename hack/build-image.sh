#!/usr/bin/env bash
# Builds the kubeone container image from the repository's Dockerfile (drift detection):
# stages the built CLI (hack/stage-cli.sh) and Node.js from the npm registry
# (hack/node-runtime.sh) into a build context, then `docker build`. Run `npm run build` first.
#   hack/build-image.sh [TAG]            default TAG kubeone:dev
#   BASE_IMAGE=debian:bookworm-slim hack/build-image.sh
# BASE_IMAGE defaults to the sandbox host image (kubeone-host:latest, built by
# hack/build-host-image.sh when missing), since no image can be pulled on the build machines.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-kubeone:dev}
base=${BASE_IMAGE:-kubeone-host:latest}

if [ "$base" = kubeone-host:latest ] && ! docker image inspect "$base" >/dev/null 2>&1; then
  bash "$repo/hack/build-host-image.sh"
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
node=$(bash "$repo/hack/node-runtime.sh")
bash "$repo/hack/stage-cli.sh" "$ctx/kubeone"
cp "$node" "$ctx/kubeone/node"
cp "$(dirname "$(dirname "$node")")/LICENSE" "$ctx/kubeone/NODE-LICENSE"
docker build -q -f "$repo/Dockerfile" --build-arg "BASE_IMAGE=$base" -t "$tag" "$ctx" >/dev/null
echo "$tag"
