// Every file the tool renders onto one host, as exact bytes: the single source for both
// the executor (which writes them) and computeDesired (which hashes them for the planner).
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import { renderControlPlaneFiles } from '../kubeadm/control-plane-files.js';
import { renderKubeletConfigFile } from '../kubeadm/render-files.js';
import { DEFAULT_CONTAINERD_MAJOR, type RenderedFile, renderContainerdFiles } from '../scripts/containerd-config.js';
import { KUBELET_CONFIG_PATH, KUBELET_FLAGS_PATH, renderKubeletFlags, renderKubeletProxyFiles } from '../scripts/kubelet-files.js';
import { KUBEADM_DROPIN_PATH, KUBELET_UNIT_PATH, renderKubeadmDropIn, renderKubeletUnit } from '../scripts/kubelet-unit.js';
import { binDirFor, type OsFamily } from '../scripts/os-family.js';
import { type FileGroup, fileGroupOf } from './file-groups.js';

/** What the probe says about a host that changes the files rendered for it. */
export interface HostFileEnv {
  /** OS family (bundle paths on Flatcar); default the debian layout. */
  family?: OsFamily;
  /** Major version of the installed containerd (its config format); default DEFAULT_CONTAINERD_MAJOR. */
  containerdMajor?: number;
  /** systemd-resolved's resolv.conf exists (HostFacts.systemdResolved): the kubelet reads its name servers from there. */
  systemdResolved?: boolean;
}

/** containerd's files for a host running containerd `containerdMajor` (its config format follows the major). */
export function containerdFilesFor(loaded: LoadedCluster, containerdMajor: number = DEFAULT_CONTAINERD_MAJOR): RenderedFile[] {
  return renderContainerdFiles(loaded.cluster, containerdMajor);
}

export function kubeletFilesFor(loaded: LoadedCluster, host: ResolvedHost, env: HostFileEnv = {}): RenderedFile[] {
  return [
    { path: KUBELET_FLAGS_PATH, content: renderKubeletFlags(loaded.cluster, host), mode: '0644' },
    { path: KUBELET_CONFIG_PATH, content: renderKubeletConfigFile(loaded, { systemdResolved: env.systemdResolved === true }), mode: '0644' },
    ...renderKubeletProxyFiles(loaded.cluster.proxy),
  ];
}

/** Unit + drop-in exist only for binaries installed outside a package manager. */
export function kubeletUnitFilesFor(loaded: LoadedCluster, family: OsFamily = 'debian'): RenderedFile[] {
  const bundle = Boolean(loaded.cluster.kubernetesBinaries?.bundle) || family === 'flatcar';
  if (!bundle) return [];
  const binDir = binDirFor(family);
  return [
    { path: KUBELET_UNIT_PATH, content: renderKubeletUnit(binDir), mode: '0644' },
    { path: KUBEADM_DROPIN_PATH, content: renderKubeadmDropIn(binDir), mode: '0644' },
  ];
}

/** The control planes' audit policy, admission files and CA bundle (none on workers, as KubeOne). */
export function controlPlaneFilesFor(loaded: LoadedCluster, host: ResolvedHost): RenderedFile[] {
  return host.role === 'controlPlane' ? renderControlPlaneFiles(loaded) : [];
}

export function managedFilesFor(loaded: LoadedCluster, host: ResolvedHost, env: HostFileEnv = {}): RenderedFile[] {
  return [
    ...containerdFilesFor(loaded, env.containerdMajor),
    ...kubeletFilesFor(loaded, host, env),
    ...kubeletUnitFilesFor(loaded, env.family),
    ...controlPlaneFilesFor(loaded, host),
  ];
}

/** The rendered files of one group (the files the group's op writes). */
export function groupFilesFor(loaded: LoadedCluster, host: ResolvedHost, env: HostFileEnv, group: FileGroup): RenderedFile[] {
  return managedFilesFor(loaded, host, env).filter((f) => fileGroupOf(f.path) === group);
}
