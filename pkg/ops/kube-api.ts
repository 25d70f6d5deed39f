// The few Kubernetes API calls the executor makes (node cordon/drain/delete/metadata/ready),
// behind an interface so the engine tests use a fake. The real one wraps @kubernetes/client-node
// on a KubeConfig whose connections are tunnelled over SSH (pkg/kube).
import * as k8s from '@kubernetes/client-node';
import { statusOf } from '../kube/api-status.js';
import { mergePatchHeaderOptions } from '../kube/core-api-class.js';
import type { CsrView } from '../kube/kubelet-serving-csr.js';

export interface NodeView {
  name: string;
  unschedulable: boolean;
  ready: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
}

export interface PodRef {
  namespace: string;
  name: string;
  /** Owned by a DaemonSet or a mirror (static) pod: never evicted. */
  skip: boolean;
}

export type EvictResult = 'evicted' | 'gone' | 'blocked';

export interface KubeApi {
  getNode(name: string): Promise<NodeView | null>;
  patchNode(name: string, patch: { unschedulable?: boolean; labels?: Record<string, string | null>; annotations?: Record<string, string | null>; taints?: NodeView['taints'] }): Promise<void>;
  podsOnNode(name: string): Promise<PodRef[]>;
  evict(namespace: string, name: string): Promise<EvictResult>;
  deleteNode(name: string): Promise<void>;
  /** CertificateSigningRequests (for the kubelet serving certificates kubeone approves). */
  listCsrs(): Promise<CsrView[]>;
  approveCsr(name: string, reason: string): Promise<void>;
  /** Creates the ConfigMap or replaces its data (and labels). */
  putConfigMap(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): Promise<void>;
}


export function clientNodeKubeApi(kc: k8s.KubeConfig): KubeApi {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const certificates = kc.makeApiClient(k8s.CertificatesV1Api);
  const mergePatch = mergePatchHeaderOptions();
  return {
    async getNode(name) {
      try {
        const node = await core.readNode({ name });
        const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
        return {
          name,
          unschedulable: Boolean(node.spec?.unschedulable),
          ready,
          labels: node.metadata?.labels ?? {},
          annotations: node.metadata?.annotations ?? {},
          taints: (node.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
        };
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },
    async patchNode(name, patch) {
      const body: Record<string, unknown> = {};
      const metadata: Record<string, unknown> = {};
      if (patch.labels) metadata.labels = patch.labels;
      if (patch.annotations) metadata.annotations = patch.annotations;
      if (Object.keys(metadata).length) body.metadata = metadata;
      const spec: Record<string, unknown> = {};
      if (patch.unschedulable !== undefined) spec.unschedulable = patch.unschedulable ? true : null;
      if (patch.taints) spec.taints = patch.taints;
      if (Object.keys(spec).length) body.spec = spec;
      await core.patchNode({ name, body }, mergePatch);
    },
    async podsOnNode(name) {
      const list = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` });
      return list.items
        .filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''))
        .map((p) => ({
          namespace: p.metadata?.namespace ?? 'default',
          name: p.metadata?.name ?? '',
          skip:
            Boolean(p.metadata?.annotations?.['kubernetes.io/config.mirror']) ||
            (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet'),
        }));
    },
    async evict(namespace, name) {
      try {
        await core.createNamespacedPodEviction({
          name,
          namespace,
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
        });
        return 'evicted';
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return 'gone';
        if (status === 429) return 'blocked';
        throw error;
      }
    },
    async deleteNode(name) {
      try {
        await core.deleteNode({ name });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    },
    async listCsrs() {
      const list = await certificates.listCertificateSigningRequest();
      return list.items.map((c) => {
        const conditions = c.status?.conditions ?? [];
        const has = (type: string) => conditions.some((x) => x.type === type && x.status !== 'False');
        return {
          name: c.metadata?.name ?? '',
          signerName: c.spec.signerName,
          username: c.spec.username ?? '',
          groups: c.spec.groups ?? [],
          usages: c.spec.usages ?? [],
          requestPem: Buffer.from(c.spec.request, 'base64').toString('utf8'),
          approved: has('Approved'),
          finished: has('Denied') || has('Failed'),
        };
      });
    },
    async putConfigMap(namespace, name, data, labels = {}) {
      const body: k8s.V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
      try {
        const live = await core.readNamespacedConfigMap({ name, namespace });
        body.metadata!.resourceVersion = live.metadata?.resourceVersion;
        body.metadata!.labels = { ...(live.metadata?.labels ?? {}), ...labels };
        await core.replaceNamespacedConfigMap({ name, namespace, body });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        await core.createNamespacedConfigMap({ namespace, body });
      }
    },
    async approveCsr(name, reason) {
      const csr = await certificates.readCertificateSigningRequest({ name });
      const conditions = [...(csr.status?.conditions ?? []), { type: 'Approved', status: 'True', reason, message: 'approved by kubeone' }];
      await certificates.replaceCertificateSigningRequestApproval({ name, body: { ...csr, status: { ...csr.status, conditions } } });
    },
  };
}
