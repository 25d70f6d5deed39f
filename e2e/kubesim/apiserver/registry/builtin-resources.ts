// The built-in resources the simulator serves (group, version, names, scope,
// subresources, etcd layout like the real /registry/... keys).
import { builtinApplyListType, builtinStrategicListType } from './builtin-list-types.js';
import { ALL_VERBS, type ResourceDef } from './resource-def.js';

interface Opts {
  ns?: boolean;
  short?: string[];
  sub?: string[];
  all?: boolean;
  etcd?: string;
  createOnUpdate?: boolean;
  virtual?: boolean;
  verbs?: string[];
}

function def(group: string, version: string, kind: string, plural: string, o: Opts = {}): ResourceDef {
  return {
    group,
    version,
    storageVersion: version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: o.ns ?? false,
    shortNames: o.short ?? [],
    categories: o.all ? ['all'] : [],
    verbs: o.virtual ? ['create'] : (o.verbs ?? ALL_VERBS),
    subresources: o.sub ?? [],
    etcdPath: o.etcd ?? plural,
    createOnUpdate: o.createOnUpdate ?? false,
    virtual: o.virtual ?? false,
    strategicListType: builtinStrategicListType,
    listType: builtinApplyListType,
  };
}

const NS = true;
const rbac = 'rbac.authorization.k8s.io';
const adm = 'admissionregistration.k8s.io';

export const BUILTIN_RESOURCES: ResourceDef[] = [
  // core/v1
  def('', 'v1', 'ConfigMap', 'configmaps', { ns: NS, short: ['cm'] }),
  def('', 'v1', 'Endpoints', 'endpoints', { ns: NS, short: ['ep'], etcd: 'services/endpoints', createOnUpdate: true }),
  def('', 'v1', 'Event', 'events', { ns: NS, short: ['ev'], createOnUpdate: true }),
  def('', 'v1', 'LimitRange', 'limitranges', { ns: NS, short: ['limits'] }),
  def('', 'v1', 'Namespace', 'namespaces', { short: ['ns'], sub: ['status', 'finalize'], verbs: ALL_VERBS.filter((v) => v !== 'deletecollection') }),
  def('', 'v1', 'Node', 'nodes', { short: ['no'], sub: ['status'], etcd: 'minions' }),
  def('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { ns: NS, short: ['pvc'], sub: ['status'] }),
  def('', 'v1', 'PersistentVolume', 'persistentvolumes', { short: ['pv'], sub: ['status'] }),
  def('', 'v1', 'Pod', 'pods', { ns: NS, short: ['po'], all: true, sub: ['status', 'eviction', 'binding', 'ephemeralcontainers'] }),
  def('', 'v1', 'PodTemplate', 'podtemplates', { ns: NS }),
  def('', 'v1', 'ReplicationController', 'replicationcontrollers', { ns: NS, short: ['rc'], all: true, sub: ['status', 'scale'], etcd: 'controllers' }),
  def('', 'v1', 'ResourceQuota', 'resourcequotas', { ns: NS, short: ['quota'], sub: ['status'] }),
  def('', 'v1', 'Secret', 'secrets', { ns: NS }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', { ns: NS, short: ['sa'], sub: ['token'] }),
  def('', 'v1', 'Service', 'services', { ns: NS, short: ['svc'], all: true, sub: ['status'], etcd: 'services/specs' }),
  // admissionregistration
  def(adm, 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations'),
  def(adm, 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'),
  def(adm, 'v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', { sub: ['status'] }),
  def(adm, 'v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings'),
  // apiextensions / apiregistration
  def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    short: ['crd', 'crds'],
    sub: ['status'],
    etcd: 'apiextensions.k8s.io/customresourcedefinitions',
  }),
  def('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', { sub: ['status'], etcd: 'apiregistration.k8s.io/apiservices' }),
  // apps
  def('apps', 'v1', 'ControllerRevision', 'controllerrevisions', { ns: NS }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', { ns: NS, short: ['ds'], all: true, sub: ['status'] }),
  def('apps', 'v1', 'Deployment', 'deployments', { ns: NS, short: ['deploy'], all: true, sub: ['status', 'scale'] }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', { ns: NS, short: ['rs'], all: true, sub: ['status', 'scale'] }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', { ns: NS, short: ['sts'], all: true, sub: ['status', 'scale'] }),
  // authentication / authorization reviews (create-only, never stored)
  def('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', { virtual: true }),
  def('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', { virtual: true }),
  def('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', { ns: NS, virtual: true }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', { virtual: true }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', { virtual: true }),
  def('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', { virtual: true }),
  // autoscaling, batch
  def('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { ns: NS, short: ['hpa'], all: true, sub: ['status'] }),
  def('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { ns: NS, short: ['hpa'], all: true, sub: ['status'] }),
  def('batch', 'v1', 'CronJob', 'cronjobs', { ns: NS, short: ['cj'], all: true, sub: ['status'] }),
  def('batch', 'v1', 'Job', 'jobs', { ns: NS, all: true, sub: ['status'] }),
  // certificates, coordination, discovery
  def('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', { short: ['csr'], sub: ['status', 'approval'] }),
  def('coordination.k8s.io', 'v1', 'Lease', 'leases', { ns: NS, createOnUpdate: true }),
  def('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', { ns: NS }),
  // flowcontrol
  def('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', { sub: ['status'] }),
  def('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', { sub: ['status'] }),
  // networking, node
  def('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses'),
  def('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { ns: NS, short: ['ing'], sub: ['status'], etcd: 'ingress' }),
  def('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { ns: NS, short: ['netpol'] }),
  def('networking.k8s.io', 'v1', 'IPAddress', 'ipaddresses', { short: ['ip'] }),
  def('networking.k8s.io', 'v1', 'ServiceCIDR', 'servicecidrs', { sub: ['status'] }),
  def('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses'),
  // policy
  def('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { ns: NS, short: ['pdb'], sub: ['status'] }),
  // rbac
  def(rbac, 'v1', 'ClusterRoleBinding', 'clusterrolebindings', { createOnUpdate: true }),
  def(rbac, 'v1', 'ClusterRole', 'clusterroles', { createOnUpdate: true }),
  def(rbac, 'v1', 'RoleBinding', 'rolebindings', { ns: NS, createOnUpdate: true }),
  def(rbac, 'v1', 'Role', 'roles', { ns: NS, createOnUpdate: true }),
  // scheduling, storage
  def('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', { short: ['pc'] }),
  def('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers'),
  def('storage.k8s.io', 'v1', 'CSINode', 'csinodes'),
  def('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities', { ns: NS }),
  def('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { short: ['sc'] }),
  def('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', { sub: ['status'] }),
];

/** Preferred version per group where several are served (listed first in discovery). */
export const PREFERRED_VERSIONS: Record<string, string> = { autoscaling: 'v2' };
