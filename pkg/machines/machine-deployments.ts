// The MachineDeployments (cluster.k8s.io/v1alpha1, machine-controller's API) that dynamicWorkers
// ask for, with the facts of KubeOne 1.14's rendering (pkg/templates/machinecontroller):
// - kube-system/<workerset name>; the selector and the Machines' and Nodes' labels carry
//   `workerset: <name>` (over the worker's own labels);
// - annotations: the MachineDeployment gets providerSpec.annotations, the Machine template
//   providerSpec.machineObjectAnnotations, both with machine-controller's kubelet settings for
//   loggingConfig when it differs from the default; the Nodes get providerSpec.nodeAnnotations;
// - rolling updates surge one machine and take none away, except with a static network
//   (providerSpec.network: no address to spare), where one goes before its replacement comes;
// - spec.template.spec.versions.kubelet is versions.kubernetes;
// - providerSpec.value keeps cloudProviderSpec, sshPublicKeys, operatingSystem,
//   operatingSystemSpec, network and overwriteCloudConfig, and adds cloudProvider
//   (machine-controller's name: vmware-cloud-director for vmwareCloudDirector); the fields that
//   went into the metadata above are left out of it;
// - on AWS, cloudProviderSpec goes through machine-controller's AWS spec: its fields only (an
//   unknown one is refused by validation, see awsSpecProblems), absent ones as their zero
//   values, and the tag kubernetes.io/cluster/<cluster name>: shared.
// Pure: no I/O. KubeOne's YAML (`config machinedeployments`) sorts every map's keys.
import { stringify } from 'yaml';
import { providerName } from '../api/provider.js';
import { redactObject } from '../api/redact.js';
import type { MachineDeploymentFacts } from '../snapshot/types.js';
import type { DynamicWorkerConfig, KubeOneCluster, Taint } from '../api/types.js';

/** machine-controller's API: group, version and the apiVersion its objects carry. */
export const MACHINE_GROUP = 'cluster.k8s.io';
export const MACHINE_VERSION = 'v1alpha1';
export const MACHINE_API_VERSION = `${MACHINE_GROUP}/${MACHINE_VERSION}`;
export const MACHINE_NAMESPACE = 'kube-system';
/** The label tying a workerset's Machines to its MachineDeployment (KubeOne's selector). */
export const WORKERSET_LABEL = 'workerset';
/** machine-controller reads kubelet settings of a Machine from annotations with this prefix. */
export const KUBELET_CONFIG_PREFIX = 'v1.kubelet-config.machine-controller.kubermatic.io';
/** KubeOne's defaults of loggingConfig: no annotation is written for them. */
const DEFAULT_LOG_MAX_SIZE = '100Mi';
const DEFAULT_LOG_MAX_FILES = 5;

type StringMap = Record<string, string>;
export type MachineDeployment = {
  apiVersion: typeof MACHINE_API_VERSION;
  kind: 'MachineDeployment';
  metadata: { name: string; namespace: string; annotations?: StringMap };
  spec: Record<string, unknown> & { replicas: number; template: { metadata: Record<string, unknown>; spec: Record<string, unknown> & { versions: { kubelet: string } } } };
};

/** machine-controller's provider name for the cluster's cloudProvider. */
export function machineControllerProvider(c: KubeOneCluster): string {
  const name = providerName(c.cloudProvider) ?? '';
  return name === 'vmwareCloudDirector' ? 'vmware-cloud-director' : name;
}

/** `b` over `a`; undefined when both are empty (KubeOne's maps are left out when empty). */
function merged(a: StringMap | undefined, b: StringMap | undefined): StringMap | undefined {
  const out = { ...(a ?? {}), ...(b ?? {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

const nonEmpty = (m: StringMap | undefined): StringMap | undefined => (m && Object.keys(m).length > 0 ? m : undefined);

/** The kubelet settings machine-controller takes from annotations: loggingConfig when not KubeOne's default. */
export function kubeletConfigAnnotations(c: KubeOneCluster): StringMap {
  const out: StringMap = {};
  const size = c.loggingConfig?.containerLogMaxSize;
  if (size && size !== DEFAULT_LOG_MAX_SIZE) out[`${KUBELET_CONFIG_PREFIX}/ContainerLogMaxSize`] = size;
  const files = c.loggingConfig?.containerLogMaxFiles;
  if (files !== undefined && files !== DEFAULT_LOG_MAX_FILES) out[`${KUBELET_CONFIG_PREFIX}/ContainerLogMaxFiles`] = String(files);
  return out;
}

/**
 * machine-controller's AWS spec as KubeOne decodes it: field -> value when absent (its zero
 * value; `undefined`: left out). Go matches JSON keys to fields ignoring case.
 */
const AWS_FIELDS: Record<string, unknown> = {
  ami: '',
  assignPublicIP: null,
  availabilityZone: '',
  diskIops: undefined,
  diskSize: null,
  diskType: '',
  ebsVolumeEncrypted: false,
  instanceProfile: '',
  instanceType: null,
  isSpotInstance: undefined,
  spotInstanceConfig: undefined,
  region: '',
  securityGroupIDs: null,
  subnetId: '',
  tags: null,
  vpcId: '',
};
const AWS_SPOT_FIELDS = ['maxPrice', 'persistentRequest', 'interruptionBehavior'];

function fieldOf(fields: readonly string[], key: string): string | undefined {
  return fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
}

/** Keys of an AWS cloudProviderSpec that machine-controller's AWS spec does not have (KubeOne drops them). */
export function awsSpecProblems(spec: unknown): string[] {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(spec)) {
    const field = fieldOf(Object.keys(AWS_FIELDS), k);
    if (!field) out.push(k);
    else if (field === 'spotInstanceConfig' && v && typeof v === 'object') {
      for (const sk of Object.keys(v)) if (!fieldOf(AWS_SPOT_FIELDS, sk)) out.push(`${k}.${sk}`);
    }
  }
  return out;
}

function awsSpec(raw: Record<string, unknown>, clusterName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, zero] of Object.entries(AWS_FIELDS)) if (zero !== undefined) out[field] = zero;
  for (const [k, v] of Object.entries(raw)) {
    const field = fieldOf(Object.keys(AWS_FIELDS), k);
    if (!field) continue;
    if (field === 'spotInstanceConfig' && v && typeof v === 'object') {
      const spot: Record<string, unknown> = {};
      for (const [sk, sv] of Object.entries(v)) {
        const f = fieldOf(AWS_SPOT_FIELDS, sk);
        // omitempty: Go leaves out "" and false.
        if (f && sv !== '' && sv !== false && sv !== null) spot[f] = sv;
      }
      out[field] = spot;
    } else out[field] = v;
  }
  out.tags = { ...((out.tags as StringMap | null) ?? {}), [`kubernetes.io/cluster/${clusterName}`]: 'shared' };
  return out;
}

function cloudProviderSpecOf(c: KubeOneCluster, w: DynamicWorkerConfig): unknown {
  const raw = w.providerSpec?.cloudProviderSpec;
  if (raw === undefined || raw === null) throw new Error(`dynamicWorkers ${JSON.stringify(w.name)}: no providerSpec.cloudProviderSpec`);
  if (c.cloudProvider?.aws && typeof raw === 'object' && !Array.isArray(raw)) return awsSpec(raw as Record<string, unknown>, c.name ?? '');
  return raw;
}

/** providerSpec.value: the worker's providerSpec without the fields that went into metadata, plus cloudProvider. */
function providerSpecValue(c: KubeOneCluster, w: DynamicWorkerConfig): Record<string, unknown> {
  const p = w.providerSpec ?? {};
  const value: Record<string, unknown> = { cloudProviderSpec: cloudProviderSpecOf(c, w) };
  if (p.sshPublicKeys && p.sshPublicKeys.length > 0) value.sshPublicKeys = p.sshPublicKeys;
  value.operatingSystem = p.operatingSystem ?? '';
  if (p.operatingSystemSpec !== undefined && p.operatingSystemSpec !== null) value.operatingSystemSpec = p.operatingSystemSpec;
  if (p.network) {
    value.network = {
      cidr: p.network.cidr ?? '',
      gateway: p.network.gateway ?? '',
      dns: { servers: p.network.dns?.servers ?? null },
      ipFamily: p.network.ipFamily ?? '',
    };
  }
  if (p.overwriteCloudConfig !== undefined) value.overwriteCloudConfig = p.overwriteCloudConfig;
  value.cloudProvider = machineControllerProvider(c);
  return value;
}

function taintsOf(taints: Taint[] | undefined): Taint[] | undefined {
  if (!taints || taints.length === 0) return undefined;
  return taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect, ...(t.timeAdded ? { timeAdded: t.timeAdded } : {}) }));
}

const withDefined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The MachineDeployment of one workerset (dynamicWorkers are validated: name and replicas set). */
export function renderMachineDeployment(c: KubeOneCluster, w: DynamicWorkerConfig): MachineDeployment {
  const name = w.name ?? '';
  const p = w.providerSpec ?? {};
  const selector = { [WORKERSET_LABEL]: name };
  const kubelet = kubeletConfigAnnotations(c);
  const staticNetwork = p.network !== undefined && p.network !== null;
  const labels = merged(p.labels, selector)!;
  return {
    apiVersion: MACHINE_API_VERSION,
    kind: 'MachineDeployment',
    metadata: withDefined({ name, namespace: MACHINE_NAMESPACE, annotations: merged(p.annotations, kubelet) }),
    spec: {
      replicas: w.replicas ?? 0,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: staticNetwork ? 0 : 1, maxUnavailable: staticNetwork ? 1 : 0 } },
      minReadySeconds: 0,
      template: {
        metadata: withDefined({ labels, namespace: MACHINE_NAMESPACE, annotations: merged(p.machineObjectAnnotations, kubelet) }),
        spec: withDefined({
          metadata: withDefined({ annotations: nonEmpty(p.nodeAnnotations), labels }),
          versions: { kubelet: c.versions?.kubernetes ?? '' },
          providerSpec: { value: providerSpecValue(c, w) },
          taints: taintsOf(p.taints),
        }),
      },
    },
  };
}

/** Every MachineDeployment of the manifest, in dynamicWorkers order. */
export function renderMachineDeployments(c: KubeOneCluster): MachineDeployment[] {
  return (c.dynamicWorkers ?? []).map((w) => renderMachineDeployment(c, w));
}

/** `kubeone config machinedeployments`: each object as YAML with sorted keys, each followed by `---` (as KubeOne prints them). */
export function machineDeploymentsYaml(c: KubeOneCluster): string {
  return renderMachineDeployments(c)
    .map((md) => `${stringify(md, { sortMapEntries: true, lineWidth: 0 })}\n---\n`)
    .join('');
}

/**
 * The part of a MachineDeployment the manifest renders (annotations and spec), secrets masked:
 * what the probe keeps of a live one and what the planner compares it with.
 */
export function comparableView(md: { metadata?: { annotations?: Record<string, string> }; spec?: unknown }): MachineDeploymentFacts['object'] {
  const annotations = md.metadata?.annotations;
  return redactObject({ metadata: annotations && Object.keys(annotations).length > 0 ? { annotations } : {}, spec: (md.spec ?? {}) as Record<string, unknown> });
}
