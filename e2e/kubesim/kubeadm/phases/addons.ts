// The "addon" phase: CoreDNS and kube-proxy objects as kubeadm creates them
// (nothing runs them in the simulator; their images carry the version).
import { stringify } from 'yaml';
import { dnsServiceIp } from '../../common/net.js';
import { corednsTag, parseVersion } from '../../common/versions.js';
import { KubeError, type KubeClient, type KubeObject } from '../../common/kube-client.js';
import type { ClusterConfig } from '../config/types.js';
import { out } from '../output.js';

const labels = (k: string): Record<string, string> => ({ 'k8s-app': k });

export function corednsImage(cfg: ClusterConfig): string {
  const repo = cfg.dns.imageRepository ?? `${cfg.imageRepository}/coredns`;
  return `${repo}/coredns:${cfg.dns.imageTag ?? corednsTag(parseVersion(cfg.kubernetesVersion)?.minor ?? 35)}`;
}

export function kubeProxyImage(cfg: ClusterConfig): string {
  return `${cfg.imageRepository}/kube-proxy:${cfg.kubernetesVersion}`;
}

async function apply(client: KubeClient, collection: string, obj: KubeObject, preserveSpec = false): Promise<void> {
  const existing = await client.get(`${collection}/${obj.metadata.name}`);
  if (!existing) {
    await client.create(collection, obj);
    return;
  }
  // kubeadm only mutates what it owns (e.g. image and replicas stay user-tunable for CoreDNS).
  const merged = preserveSpec ? { ...existing, spec: obj.spec } : { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } };
  await client.update(`${collection}/${obj.metadata.name}`, merged);
}

export async function ensureCoreDNS(client: KubeClient, cfg: ClusterConfig): Promise<void> {
  const ns = '/api/v1/namespaces/kube-system';
  const apps = '/apis/apps/v1/namespaces/kube-system';
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await client.createIfMissing(`${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } });
  await apply(client, `${rbac}/clusterroles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:coredns' },
    rules: [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ],
  });
  await apply(client, `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:coredns' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
    subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
  });
  const corefile = `.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes ${cfg.networking.dnsDomain} in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success ${cfg.networking.dnsDomain}\n       disable denial ${cfg.networking.dnsDomain}\n    }\n    loop\n    reload\n    loadbalance\n}\n`;
  await client.createIfMissing(`${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } });
  const existing = await client.get(`${apps}/deployments/coredns`);
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: labels('kube-dns') },
    spec: {
      replicas: existing?.spec?.replicas ?? 2,
      selector: { matchLabels: labels('kube-dns') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: labels('kube-dns') },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: corednsImage(cfg),
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
  await apply(client, `${apps}/deployments`, deployment, true);
  await createDnsService(client, `${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { ...labels('kube-dns'), 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
    spec: {
      clusterIP: dnsServiceIp(cfg.networking.serviceSubnet),
      selector: labels('kube-dns'),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  out('[addons] Applied essential addon: CoreDNS');
}

/**
 * As kubeadm: create the DNS Service; when it exists (409) or its fixed ClusterIP is taken
 * (422, e.g. an earlier interrupted run), update it in place instead.
 */
async function createDnsService(client: KubeClient, collection: string, service: KubeObject): Promise<void> {
  try {
    await client.create(collection, service);
  } catch (err) {
    if (!(err instanceof KubeError && (err.status === 409 || err.status === 422))) throw err;
    await client.createOrUpdate(collection, service);
  }
}

export async function ensureKubeProxy(client: KubeClient, cfg: ClusterConfig, kubeProxyConfig: Record<string, unknown>, server: string): Promise<void> {
  const ns = '/api/v1/namespaces/kube-system';
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await client.createIfMissing(`${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: 'kube-system' } });
  const config = {
    ...kubeProxyConfig,
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    bindAddress: kubeProxyConfig.bindAddress ?? '0.0.0.0',
    clientConnection: { ...((kubeProxyConfig.clientConnection as object) ?? {}), kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
    ...(cfg.networking.podSubnet && !kubeProxyConfig.clusterCIDR ? { clusterCIDR: cfg.networking.podSubnet } : {}),
  };
  const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: ${server}\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n`;
  await apply(client, `${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': stringify(config), 'kubeconfig.conf': kubeconfig } });
  await apply(client, '/apis/apps/v1/namespaces/kube-system/daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: labels('kube-proxy') },
    spec: {
      selector: { matchLabels: labels('kube-proxy') },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: labels('kube-proxy') },
        spec: {
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'kube-proxy',
              image: kubeProxyImage(cfg),
              imagePullPolicy: 'IfNotPresent',
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              volumeMounts: [
                { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
        },
      },
    },
  });
  await apply(client, `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'kubeadm:node-proxier' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
    subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }],
  });
  await apply(client, `${rbac}/namespaces/kube-system/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-proxy'], verbs: ['get'] }] });
  await apply(client, `${rbac}/namespaces/kube-system/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kube-proxy' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:bootstrappers:kubeadm:default-node-token' }],
  });
  out('[addons] Applied essential addon: kube-proxy');
}
