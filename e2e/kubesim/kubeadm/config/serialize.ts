// ClusterConfiguration as kubeadm stores it in kube-system/kubeadm-config
// (apiVersion kubeadm.k8s.io/v1beta4, defaults filled in), and back.
import { parse, stringify } from 'yaml';
import { decodeConfig } from './decode.js';
import { defaultClusterConfig } from './defaults.js';
import type { ClusterConfig } from './types.js';

export function clusterConfigurationDoc(cfg: ClusterConfig): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiServer: { ...(cfg.apiServer.extraArgs.length ? { extraArgs: cfg.apiServer.extraArgs } : {}), ...(cfg.apiServer.extraVolumes.length ? { extraVolumes: cfg.apiServer.extraVolumes } : {}), ...(cfg.apiServer.extraEnvs.length ? { extraEnvs: cfg.apiServer.extraEnvs } : {}), ...(cfg.apiServer.certSANs.length ? { certSANs: cfg.apiServer.certSANs } : {}) },
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    caCertificateValidityPeriod: cfg.caCertificateValidityPeriod,
    certificateValidityPeriod: cfg.certificateValidityPeriod,
    certificatesDir: cfg.certificatesDir,
    clusterName: cfg.clusterName,
    controllerManager: { ...(cfg.controllerManager.extraArgs.length ? { extraArgs: cfg.controllerManager.extraArgs } : {}), ...(cfg.controllerManager.extraVolumes.length ? { extraVolumes: cfg.controllerManager.extraVolumes } : {}), ...(cfg.controllerManager.extraEnvs.length ? { extraEnvs: cfg.controllerManager.extraEnvs } : {}) },
    dns: cfg.dns,
    encryptionAlgorithm: cfg.encryptionAlgorithm,
    etcd: cfg.etcd.external
      ? { external: cfg.etcd.external }
      : {
          local: {
            dataDir: cfg.etcd.local!.dataDir,
            ...(cfg.etcd.local!.extraArgs.length ? { extraArgs: cfg.etcd.local!.extraArgs } : {}),
            ...(cfg.etcd.local!.extraEnvs.length ? { extraEnvs: cfg.etcd.local!.extraEnvs } : {}),
            ...(cfg.etcd.local!.serverCertSANs.length ? { serverCertSANs: cfg.etcd.local!.serverCertSANs } : {}),
            ...(cfg.etcd.local!.peerCertSANs.length ? { peerCertSANs: cfg.etcd.local!.peerCertSANs } : {}),
            ...(cfg.etcd.local!.imageRepository ? { imageRepository: cfg.etcd.local!.imageRepository } : {}),
            ...(cfg.etcd.local!.imageTag ? { imageTag: cfg.etcd.local!.imageTag } : {}),
          },
        },
    imageRepository: cfg.imageRepository,
    kind: 'ClusterConfiguration',
    kubernetesVersion: cfg.kubernetesVersion,
    networking: { dnsDomain: cfg.networking.dnsDomain, ...(cfg.networking.podSubnet ? { podSubnet: cfg.networking.podSubnet } : {}), serviceSubnet: cfg.networking.serviceSubnet },
    proxy: cfg.proxy,
    scheduler: { ...(cfg.scheduler.extraArgs.length ? { extraArgs: cfg.scheduler.extraArgs } : {}), ...(cfg.scheduler.extraVolumes.length ? { extraVolumes: cfg.scheduler.extraVolumes } : {}), ...(cfg.scheduler.extraEnvs.length ? { extraEnvs: cfg.scheduler.extraEnvs } : {}) },
  };
  if (cfg.controlPlaneEndpoint) doc.controlPlaneEndpoint = cfg.controlPlaneEndpoint;
  if (cfg.featureGates) doc.featureGates = cfg.featureGates;
  return doc;
}

export function renderClusterConfiguration(cfg: ClusterConfig): string {
  return stringify(clusterConfigurationDoc(cfg));
}

/** Parse kubeadm-config's ClusterConfiguration (strict, like kubeadm reading it back). */
export function parseStoredClusterConfiguration(text: string): ClusterConfig {
  const docs = decodeConfig(text, 'kubeadm-config ConfigMap');
  if (!docs.ClusterConfiguration) {
    const kind = (parse(text) as Record<string, unknown> | null)?.kind;
    throw new Error(`unexpected kind ${String(kind)} in the kubeadm-config ConfigMap`);
  }
  return defaultClusterConfig(docs.ClusterConfiguration);
}
