// The files the control-plane components read besides kubeadm's own, at KubeOne's paths: the
// audit policy, the admission configuration with its plugins' files, and the CA bundle
// (pkg/scripts/configs.go, pkg/templates/admissionconfig, pkg/certificate/cabundle). Their
// directories are mounted into the static pods by the ClusterConfiguration
// (cluster-configuration.ts). The encryption configuration is not here: it holds keys and is
// written by the encryption ops (pkg/ops/encryption-*.ts), never rendered from the manifest.
import { stringify } from 'yaml';
import { CA_BUNDLE } from '../addons/template/kubeone.js';
import type { KubeOneCluster, LoadedCluster } from '../api/types.js';
import { ENCRYPTION_DIR } from '../encryption/config.js';
import type { RenderedFile } from '../scripts/containerd-config.js';

export const AUDIT_DIR = '/etc/kubernetes/audit';
export const AUDIT_POLICY_PATH = `${AUDIT_DIR}/policy.yaml`;
export const ADMISSION_DIR = '/etc/kubernetes/admission';
export const ADMISSION_CONFIG_PATH = `${ADMISSION_DIR}/admission-config.yaml`;
export const POD_NODE_SELECTOR_CONFIG_PATH = `${ADMISSION_DIR}/podnodeselector.yaml`;
export const EVENT_RATE_LIMIT_CONFIG_PATH = `${ADMISSION_DIR}/eventratelimit.yaml`;
export const CA_BUNDLE_PATH = CA_BUNDLE.filePath;

/** The kube-system Namespace gets an empty node selector with PodNodeSelector, so that system pods run on every node (KubeOne's installPodNodeSelector). */
export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';

/** Every path this module may render (the probe hashes them; the executor writes the rendered ones). */
export const CONTROL_PLANE_FILE_PATHS = [AUDIT_POLICY_PATH, ADMISSION_CONFIG_PATH, POD_NODE_SELECTOR_CONFIG_PATH, EVENT_RATE_LIMIT_CONFIG_PATH, CA_BUNDLE_PATH] as const;

/** The control-plane components that read files at start (restarted when one changes). */
export const RESTARTABLE_COMPONENTS = ['kube-apiserver', 'kube-controller-manager'] as const;
export type RestartableComponent = (typeof RESTARTABLE_COMPONENTS)[number];

/** The directories whose files each component reads at start. */
export const INPUT_DIRS: Record<RestartableComponent, readonly string[]> = {
  'kube-apiserver': [AUDIT_DIR, ADMISSION_DIR, ENCRYPTION_DIR],
  'kube-controller-manager': [CA_BUNDLE.certsDir],
};

/** Which component reads a file (the one to restart when it changes); undefined for none. */
export function componentReading(path: string): RestartableComponent | undefined {
  return RESTARTABLE_COMPONENTS.find((c) => INPUT_DIRS[c].some((d) => path.startsWith(`${d}/`)));
}

/**
 * Files a component read at its last start that changed since (the running process still has
 * the old content). Unknown start (no mirror pod status): none, since it reads them when it starts.
 * Start times are whole seconds: a file changed in the second the component started counts as
 * read (every writer of these files restarts the component after writing, never during it).
 */
export function changedSinceStart(inputsModified: Record<string, string> | undefined, started: string | undefined, component: RestartableComponent, paths?: readonly string[]): string[] {
  if (!started) return [];
  const since = Date.parse(started);
  return Object.entries(inputsModified ?? {})
    .filter(([path, at]) => componentReading(path) === component && (!paths || paths.includes(path)) && Math.floor(Date.parse(at) / 1000) * 1000 > since)
    .map(([path]) => path)
    .sort();
}

/** KubeOne's RequiresAdmissionConfig. */
export function requiresAdmissionConfig(c: KubeOneCluster): boolean {
  return Boolean(c.features?.podNodeSelector?.enable || c.features?.eventRateLimit?.enable);
}

/** apiserver.config.k8s.io/v1 AdmissionConfiguration naming the enabled plugins' files (KubeOne's NewAdmissionConfig). */
export function renderAdmissionConfiguration(c: KubeOneCluster): string {
  const plugins: { name: string; path: string }[] = [];
  if (c.features?.podNodeSelector?.enable) plugins.push({ name: 'PodNodeSelector', path: POD_NODE_SELECTOR_CONFIG_PATH });
  if (c.features?.eventRateLimit?.enable) plugins.push({ name: 'EventRateLimit', path: EVENT_RATE_LIMIT_CONFIG_PATH });
  return stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins }, { lineWidth: 0 });
}

function input(loaded: LoadedCluster, key: 'auditPolicy' | 'podNodeSelector' | 'eventRateLimit', field: string): string {
  const text = loaded.controlPlaneInputs?.[key];
  // loadCluster reads them; a caller that builds a LoadedCluster itself must too.
  if (text === undefined) throw new Error(`${field}: the file was not read (loadCluster reads it)`);
  return text;
}

/** The files of a control plane, as exact bytes (root-owned; policies and admission files readable by root only). */
export function renderControlPlaneFiles(loaded: LoadedCluster): RenderedFile[] {
  const c = loaded.cluster;
  const f = c.features ?? {};
  const out: RenderedFile[] = [];
  if (f.staticAuditLog?.enable) out.push({ path: AUDIT_POLICY_PATH, content: input(loaded, 'auditPolicy', 'features.staticAuditLog.config.policyFilePath'), mode: '0600' });
  if (requiresAdmissionConfig(c)) out.push({ path: ADMISSION_CONFIG_PATH, content: renderAdmissionConfiguration(c), mode: '0600' });
  if (f.podNodeSelector?.enable) out.push({ path: POD_NODE_SELECTOR_CONFIG_PATH, content: input(loaded, 'podNodeSelector', 'features.podNodeSelector.config.configFilePath'), mode: '0600' });
  if (f.eventRateLimit?.enable) out.push({ path: EVENT_RATE_LIMIT_CONFIG_PATH, content: input(loaded, 'eventRateLimit', 'features.eventRateLimit.config.configFilePath'), mode: '0600' });
  const bundle = c.certificateAuthority?.bundle;
  if (bundle) out.push({ path: CA_BUNDLE_PATH, content: bundle, mode: '0644' });
  return out;
}
