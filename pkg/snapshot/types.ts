// The snapshot: the actual state of every host and of the cluster, as gathered by the probe.
// It is plain, deterministic, redacted data: no key material, token, kubeconfig or
// credential value ever appears here, only fingerprints and sha256 hashes.
// `state` is the hashed part (stable key order, no timestamps); `meta` is not hashed.

export const SNAPSHOT_FORMAT = 'kubeone.snapshot/v1';

export type UnitActiveState = 'active' | 'activating' | 'inactive' | 'failed' | 'deactivating' | 'unknown';

export interface UnitFacts {
  /** systemd LoadState=loaded. */
  installed: boolean;
  /** systemd ActiveState. */
  active: UnitActiveState;
  /** systemd SubState (running, auto-restart, dead, ...). */
  sub: string;
  enabled: boolean;
}

export interface ComponentFacts {
  unit: UnitFacts;
  /** Version without a leading v, '' when not installed. */
  version: string;
}

export type HostErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'hostKeyChanged'
  | 'sudoPassword'
  | 'commandFailed';

export interface HostError {
  kind: HostErrorKind;
  message: string;
}

export interface FileFacts {
  exists: boolean;
  /** sha256 hex of the content, '' when absent. */
  sha256: string;
}

export interface HostFacts {
  /** ResolvedHost.name from the manifest side (hostname or address). */
  name: string;
  /** Index in the manifest's host list (ResolvedHost.id). */
  id: number;
  role: 'controlPlane' | 'staticWorker';
  /** SSH target as the manifest says (address:port, bastion in front if any). */
  address: string;
  privateAddress: string;
  reachable: boolean;
  /** Not in the manifest: a Node of the cluster reached at its InternalIP (pkg/api/former-host.ts). */
  former?: boolean;
  error?: HostError;
  /** Everything below is present only when reachable. */
  /** Kernel hostname (`hostname`), lower-cased. */
  hostname?: string;
  /** `hostname -f`, lower-cased; '' when it failed. */
  fqdn?: string;
  /** The Node name this host registers (or would register) under: the manifest's hostname, else the detected one (pkg/api/node-names.ts). */
  nodeName?: string;
  os?: { id: string; versionId: string; prettyName: string };
  kernel?: string;
  arch?: string;
  cpus?: number;
  memoryMiB?: number;
  swapOn?: boolean;
  /** Whether the kernel modules/sysctls the node needs are in place. */
  prerequisites?: { modules: boolean; sysctls: boolean; swapDisabledPersistently: boolean };
  containerd?: ComponentFacts & { config: FileFacts };
  kubelet?: ComponentFacts & {
    /** /var/lib/kubelet/kubeadm-flags.env */
    flags: FileFacts;
    /** /var/lib/kubelet/config.yaml */
    config: FileFacts;
    /** /etc/kubernetes/kubelet.conf exists: the node has joined. */
    kubeconfig: boolean;
  };
  kubeadm?: { version: string };
  kubectl?: { version: string };
  /** Where the kube binaries came from (/etc/kubeone/binaries.json). */
  binaries?: { origin: 'package' | 'bundle' | 'none' | 'unknown'; version: string };
  /** /etc/kubernetes/admin.conf exists (control planes). */
  adminConf?: boolean;
  /** systemd-resolved's /run/systemd/resolve/resolv.conf exists (absent when it does not): the kubelet's resolvConf. */
  systemdResolved?: boolean;
  /** Image tags of /etc/kubernetes/manifests/*.yaml, e.g. { 'kube-apiserver': '1.35.1', etcd: '3.6.4-0' }. */
  staticPods?: Record<string, string>;
  /** Earliest notAfter (ISO 8601) among the control-plane PKI certs, '' if none. */
  certsEarliestExpiry?: string;
  /** Per cert file name -> notAfter ISO (control planes). */
  certs?: Record<string, string>;
  /** Names of /etc/kubernetes/pki/apiserver.crt: `DNS:<lower-case name>` and `IP:<canonical address>`, sorted (control planes). */
  apiserverSans?: string[];
  /** Files the tool renders onto the host, path -> facts (configs the plan compares against the desired render). */
  managedFiles?: Record<string, FileFacts>;
  /** In-flight marker left by an interrupted executor step on this host, if any. */
  inflight?: { actionId: string; step: string; startedAt: string; runId: string } | null;
  /** Cluster lock file on this host (only the leader's matters), if any. */
  lock?: { id: string; owner: string; pid: number; startedAt: string; command: string } | null;
  /** Encryption at rest on a control plane (present when the flag or a configuration file is). */
  encryption?: EncryptionFacts;
  /**
   * When each file the control-plane components read at start last changed (ISO 8601 with
   * milliseconds): /etc/kubernetes/{audit,admission,encryption-providers}, /etc/kubeone/certs.
   * A component started before one of its files changed still runs with the old content.
   */
  inputsModified?: Record<string, string>;
}

export interface EncryptionFacts {
  /** --encryption-provider-config of the kube-apiserver static pod manifest ('' when not set). */
  flag: string;
  /** The configurations in /etc/kubernetes/encryption-providers, by path. */
  files: Record<string, EncryptionFileFacts>;
}

export interface EncryptionFileFacts {
  sha256: string;
  /** Providers, key names and key fingerprints; null when the file holds anything the probe does not recognise (it is then never read further). */
  summary: import('../encryption/config.js').EncryptionSummary | null;
}

export interface NodeFacts {
  name: string;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  ready: boolean;
  unschedulable: boolean;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  annotations: Record<string, string>;
  internalIP: string;
  /** Manifest host this Node matches (by hostname, then by address); null when none. */
  host: string | null;
}

export interface EtcdMemberFacts {
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
  /** Health of this member's client endpoint; null when not checked. */
  healthy: boolean | null;
  /** Manifest control-plane host this member matches; null when none. */
  host: string | null;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** An object as the planner compares it, live (probed) or rendered (desired): both sides are
 * normalized the same way (server-set fields stripped, see pkg/addons) before hashing. */
export interface HashedObject extends ObjectRef {
  /** sha256 of the normalized object. */
  hash: string;
  /** The normalized object, for field-level diffs. Secrets' data is never included. */
  object?: Record<string, unknown>;
}

export interface AddonObjectFacts extends HashedObject {
  addon: string;
}

/**
 * A Helm release as its latest revision's storage Secret records it (`helm.sh/release.v1`).
 * Values appear only as a hash and a redacted view (pkg/helm/values.ts viewOfValues).
 */
export interface HelmReleaseFacts {
  name: string;
  namespace: string;
  /** The latest revision's number. */
  revision: number;
  /** helm's status of that revision: deployed, failed, pending-install, pending-upgrade, pending-rollback, uninstalling, ... */
  status: string;
  /** The chart's own name and version (Chart.yaml). */
  chart: string;
  chartVersion: string;
  appVersion: string;
  /** sha256 of the canonical JSON of the user-supplied values (helm's stored config). */
  valuesHash: string;
  /** Those values with secrets masked. */
  values: Record<string, unknown>;
  /** The revision carries the label kubeone.k8c.io/released-by-kubeone: this tool (or KubeOne) installed it. */
  managed: boolean;
}

export const OWNERSHIP_FORMAT = 'kubeone.ownership/v1';

/** Names of the kubeadm ClusterConfiguration components whose flags and volumes are recorded. */
export type ControlPlaneComponent = 'apiServer' | 'controllerManager' | 'scheduler' | 'etcd';

/**
 * The in-cluster record of what this tool applied (ConfigMap kube-system/kubeone-ownership),
 * written in the same apply as what it records. Only names: no values, no secrets.
 */
export interface OwnershipRecord {
  formatVersion: typeof OWNERSHIP_FORMAT;
  /** Addon name -> keys (pkg/addons objectKey: group/Kind/namespace/name) of the objects applied. */
  addons: Record<string, string[]>;
  controlPlane: {
    /** Component -> names of the flags (extraArgs) rendered into kube-system/kubeadm-config. */
    flags: Partial<Record<ControlPlaneComponent, string[]>>;
    /** Component -> names of the extraVolumes rendered. */
    volumes: Partial<Record<ControlPlaneComponent, string[]>>;
    /** Paths of the files written onto control-plane hosts. */
    files: string[];
  };
  /** Node name -> label and annotation keys and taints (`key:effect`) applied from the manifest. */
  nodes: Record<string, { labels: string[]; annotations: string[]; taints: string[] }>;
  /** Helm releases (`<namespace>/<release>`) of the manifest kubeone installed or found as the manifest asks; absent: none. */
  helmReleases?: string[];
}

/** `namespace/name` of the objects behind cloud resources (pkg/probe/cloud-resources.ts). */
export interface CloudResourceFacts {
  /** Services of type LoadBalancer (each one a cloud load balancer the CCM made). */
  loadBalancerServices: string[];
  /** Every PersistentVolumeClaim (KubeOne's reset deletes them all). */
  volumeClaims: string[];
  /** PersistentVolumes a provisioner made (pv.kubernetes.io/provisioned-by) with reclaim policy Delete: names. */
  dynamicVolumes: string[];
}

/** A MachineDeployment (cluster.k8s.io/v1alpha1) in kube-system, as the planner compares it. */
export interface MachineDeploymentFacts {
  name: string;
  /** spec.template.spec.versions.kubelet ('' when unset). */
  kubelet: string;
  /** metadata.deletionTimestamp is set: machine-controller is deleting it. */
  deleting: boolean;
  /**
   * What the manifest renders of it, as live: metadata.annotations and spec, values under secret
   * keys masked (pkg/api/redact.ts), so that the plan can show what differs without credentials.
   */
  object: { metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> };
}

/** machine-controller's objects in kube-system (pkg/probe/machines.ts): names only, but the MachineDeployments. */
export interface MachineFacts {
  /** The cluster.k8s.io/v1alpha1 API answers (machine-controller's CRDs exist). */
  crds: boolean;
  deployments: MachineDeploymentFacts[];
  machineSets: string[];
  /** Machines and the Node each one made (status.nodeRef), sorted by name. */
  machines: { name: string; node?: string }[];
}

export interface ClusterFacts {
  /** Name of the host whose apiserver answered first (the leader); null when none answers. */
  leader: string | null;
  apiserverHealthy: Record<string, boolean>;
  nodes: NodeFacts[];
  etcdMembers: EtcdMemberFacts[];
  /** component -> version per host, from mirror pods: { 'kube-apiserver': { 'cp-1': '1.35.1' } }. */
  components: Record<string, Record<string, string>>;
  /** kube-system/kubeadm-config ClusterConfiguration (parsed), or null. */
  clusterConfiguration: Record<string, unknown> | null;
  addonObjects: AddonObjectFacts[];
  /** Helm releases in every namespace, by namespace then name; absent when they were not read. */
  helmReleases?: HelmReleaseFacts[];
  /**
   * When the running kube-apiserver and kube-controller-manager of each host started
   * (their mirror pods' container start, ISO 8601): component -> host -> time.
   */
  started?: Record<string, Record<string, string>>;
  /** kube-system/kubeone-encryption: what the Secrets (and ConfigMaps) were last rewritten with (null when never). */
  encryptionRewrite?: EncryptionRewriteRecord | null;
  /** The kube-system Namespace's scheduler.alpha.kubernetes.io/node-selector annotation (null when absent). */
  kubeSystemNodeSelector?: string | null;
  /**
   * What this tool applied, as recorded in the cluster (pkg/ownership): null when there is no
   * record (a cluster another tool built, or one from before the record existed). Absent in
   * snapshots saved before the record existed, which reads the same as null.
   */
  ownership?: OwnershipRecord | null;
  /** The record exists but could not be read (then ownership is null and the record is left as it is). */
  ownershipError?: string;
  /**
   * What lives outside the hosts and `kubeone reset` removes first, as KubeOne does (a cloud
   * bills for it): absent in snapshots taken before it was read. Names only.
   */
  cloudResources?: CloudResourceFacts;
  /** machine-controller's MachineDeployments, MachineSets and Machines in kube-system; absent when not read. */
  machines?: MachineFacts;
  /** Errors reaching the API, if any (never containing credentials). */
  error?: string;
}

/** What the encryption.secrets.rewrite op records once every object is rewritten. */
export interface EncryptionRewriteRecord {
  /** sha256 of the configuration file every control plane had loaded during the rewrite. */
  config: string;
  /**
   * Per rewritten resource, the provider every apiserver wrote it with (`identity`,
   * `aescbc:<key name>`, `kms:<name>`): no object of it is encrypted with anything else since.
   */
  primaries: Record<string, string>;
}

export interface SnapshotState {
  cluster: string;
  hosts: HostFacts[];
  /** null when no control plane is initialized or the API could not be reached. */
  kube: ClusterFacts | null;
}

export interface Snapshot {
  formatVersion: typeof SNAPSHOT_FORMAT;
  /** sha256 of canonical JSON of `state`. */
  hash: string;
  state: SnapshotState;
  meta: {
    tool: string;
    probedAt: string;
    durationMs: number;
  };
}
