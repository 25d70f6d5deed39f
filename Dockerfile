# Container image of the kubeone CLI, for drift detection from a Kubernetes CronJob
# (manifests/drift-cronjob.yaml). Build: docker build -t kubeone:dev .
# BASE_IMAGE must provide Node.js >= 20.19 (any Debian-based Node image works; on an
# air-gapped build machine, point it at your own mirror).
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY cmd ./cmd
COPY pkg ./pkg
COPY schemas ./schemas
COPY manifests ./manifests
RUN npm ci --ignore-scripts && npm run build && npm prune --omit=dev

FROM ${BASE_IMAGE}
WORKDIR /opt/kubeone
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/schemas ./schemas
COPY --from=build /src/manifests ./manifests
RUN ln -s /opt/kubeone/dist/cmd/kubeone.js /usr/local/bin/kubeone && chmod +x dist/cmd/kubeone.js
# Runs as an unprivileged user: the CLI needs no local privileges, only SSH keys.
USER 65534:65534
ENV HOME=/tmp
ENTRYPOINT ["kubeone"]
