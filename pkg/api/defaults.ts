import * as d from './defaults-values.js';
import { isZeroDuration } from './duration.js';
import { ipFamilyHasIPv4, ipFamilyHasIPv6, providerName } from './provider.js';
import type { HostConfig, KubeOneCluster, NodeSet } from './types.js';

/**
 * KubeOne's defaulting (SetDefaults_KubeOneCluster, then the dynamic defaults that need
 * no I/O), in the same order. Pure: returns a new object, the input is not modified.
 */
export function applyDefaults(input: KubeOneCluster): KubeOneCluster {
  const c = structuredClone(input);
  defaultHosts(c);
  defaultNodeSets(c);
  defaultCloudProvider(c);
  defaultAPIEndpoint(c);
  if (c.versions?.kubernetes) c.versions.kubernetes = c.versions.kubernetes.replace(/^v/, '');
  defaultContainerRuntime(c);
  defaultClusterNetwork(c);
  defaultProxy(c);
  c.loggingConfig = {
    containerLogMaxSize: c.loggingConfig?.containerLogMaxSize || d.DEFAULT_CONTAINER_LOG_MAX_SIZE,
    containerLogMaxFiles: c.loggingConfig?.containerLogMaxFiles || d.DEFAULT_CONTAINER_LOG_MAX_FILES,
  };
  c.machineController = { ...c.machineController, deploy: c.machineController?.deploy ?? providerName(c.cloudProvider) !== 'none' };
  c.operatingSystemManager = { ...c.operatingSystemManager, deploy: c.operatingSystemManager?.deploy ?? c.machineController.deploy };
  for (const hr of c.helmReleases ?? []) {
    if (!hr.releaseName && hr.chart) hr.releaseName = hr.chart;
    // KubeOne: a zero timeout is the default one.
    if (!hr.timeout || isZeroDuration(hr.timeout)) hr.timeout = d.DEFAULT_HELM_TIMEOUT;
  }
  c.systemPackages = { configureRepositories: c.systemPackages?.configureRepositories ?? true };
  defaultFeatures(c);
  c.tlsCipherSuites = {
    apiServer: c.tlsCipherSuites?.apiServer?.length ? c.tlsCipherSuites.apiServer : [...d.TLS_CIPHERS_API_SERVER],
    etcd: c.tlsCipherSuites?.etcd?.length ? c.tlsCipherSuites.etcd : [...d.TLS_CIPHERS_ETCD],
    kubelet: c.tlsCipherSuites?.kubelet?.length ? c.tlsCipherSuites.kubelet : [...d.TLS_CIPHERS_KUBELET],
  };
  defaultCABundle(c);
  defaultManagedLoadBalancer(c);
  defaultAWSCloudConfig(c);
  return c;
}

function defaultHost(h: HostConfig, controlPlane: boolean): void {
  if (!h.publicAddress && h.privateAddress) h.publicAddress = h.privateAddress;
  if (!h.privateAddress && h.publicAddress) h.privateAddress = h.publicAddress;
  h.sshPort ||= d.DEFAULT_SSH_PORT;
  h.sshUsername ||= d.DEFAULT_SSH_USERNAME;
  if (!h.sshPrivateKeyFile && !h.sshAgentSocket) h.sshAgentSocket = d.DEFAULT_SSH_AGENT_SOCKET;
  h.bastionPort ||= d.DEFAULT_SSH_PORT;
  h.bastionUser ||= h.sshUsername;
  if (h.taints === undefined || h.taints === null) h.taints = controlPlane ? d.controlPlaneTaints() : [];
}

function defaultHosts(c: KubeOneCluster): void {
  const cp = c.controlPlane?.hosts ?? [];
  cp.forEach((h) => defaultHost(h, true));
  for (const h of c.staticWorkers?.hosts ?? []) defaultHost(h, false);
  if (cp.length > 0 && !cp.some((h) => h.isLeader)) cp[0]!.isLeader = true;
}

function defaultNodeSets(c: KubeOneCluster): void {
  for (const ns of c.controlPlane?.nodeSets ?? ([] as NodeSet[])) {
    ns.replicas ??= 1;
    ns.nodeSettings ??= {};
    if (ns.nodeSettings.taints === undefined || ns.nodeSettings.taints === null) ns.nodeSettings.taints = d.controlPlaneTaints();
    ns.ssh ??= {};
    ns.ssh.port ||= d.DEFAULT_SSH_PORT;
    ns.ssh.username ||= d.DEFAULT_SSH_USERNAME;
    if (!ns.ssh.privateKeyFile && !ns.ssh.agentSocket) ns.ssh.agentSocket = d.DEFAULT_SSH_AGENT_SOCKET;
    ns.ssh.bastionPort ||= d.DEFAULT_SSH_PORT;
    ns.ssh.bastionUser ||= d.DEFAULT_SSH_USERNAME;
  }
}

function defaultCloudProvider(c: KubeOneCluster): void {
  const p = providerName(c.cloudProvider);
  // KubeOne 1.14 overwrites external: in-tree providers cannot be expressed any more.
  if (c.cloudProvider && p && p !== 'none' && p !== 'vmwareCloudDirector') c.cloudProvider.external = true;
}

function defaultAPIEndpoint(c: KubeOneCluster): void {
  c.apiEndpoint ??= {};
  if (!c.apiEndpoint.host) {
    const first = c.controlPlane?.hosts?.[0]?.publicAddress;
    if (first) c.apiEndpoint.host = first;
  }
  c.apiEndpoint.port ||= d.DEFAULT_API_PORT;
}

function defaultContainerRuntime(c: KubeOneCluster): void {
  // Docker was removed in KubeOne 1.8: the decoder accepts the key, conversion drops it.
  const containerd = c.containerRuntime?.containerd ?? {};
  c.containerRuntime = { containerd };
}

function defaultClusterNetwork(c: KubeOneCluster): void {
  const n = (c.clusterNetwork ??= {});
  n.ipFamily ||= 'IPv4';
  if (ipFamilyHasIPv4(n.ipFamily)) {
    n.podSubnet ||= d.DEFAULT_POD_SUBNET;
    n.serviceSubnet ||= d.DEFAULT_SERVICE_SUBNET;
    n.nodeCIDRMaskSizeIPv4 ||= d.DEFAULT_NODE_CIDR_MASK_IPV4;
  }
  if (ipFamilyHasIPv6(n.ipFamily)) {
    n.podSubnetIPv6 ||= d.DEFAULT_POD_SUBNET_IPV6;
    n.serviceSubnetIPv6 ||= d.DEFAULT_SERVICE_SUBNET_IPV6;
    n.nodeCIDRMaskSizeIPv6 ||= d.DEFAULT_NODE_CIDR_MASK_IPV6;
  }
  n.serviceDomainName ||= d.DEFAULT_SERVICE_DOMAIN;
  n.nodePortRange ||= d.DEFAULT_NODE_PORT_RANGE;
  const mtu = d.defaultCanalMtu(providerName(c.cloudProvider));
  if (!n.cni) n.cni = { canal: { mtu } };
  else if (n.cni.canal) n.cni.canal.mtu ||= mtu;
  if (n.cni.cilium) n.cni.cilium.kubeProxyReplacement ||= 'disabled';
}

function defaultProxy(c: KubeOneCluster): void {
  const p = c.proxy;
  if (!p || (!p.http && !p.https)) return;
  const n = c.clusterNetwork!;
  const parts = ['127.0.0.1/8', 'localhost', n.serviceDomainName, n.podSubnet, n.serviceSubnet];
  if (p.noProxy) parts.push(...p.noProxy.split(','));
  // De-duplicated so that defaulting a dumped (already defaulted) manifest changes nothing.
  p.noProxy = [...new Set(parts.filter(Boolean))].join(',');
}

function defaultFeatures(c: KubeOneCluster): void {
  const f = (c.features ??= {});
  f.coreDNS = {
    ...f.coreDNS,
    replicas: f.coreDNS?.replicas ?? d.DEFAULT_COREDNS_REPLICAS,
    deployPodDisruptionBudget: f.coreDNS?.deployPodDisruptionBudget ?? true,
  };
  if (f.staticAuditLog?.enable) {
    const cfg = (f.staticAuditLog.config ??= {});
    cfg.logPath ||= d.STATIC_AUDIT_LOG_DEFAULTS.logPath;
    cfg.logMaxAge ||= d.STATIC_AUDIT_LOG_DEFAULTS.logMaxAge;
    cfg.logMaxBackup ||= d.STATIC_AUDIT_LOG_DEFAULTS.logMaxBackup;
    cfg.logMaxSize ||= d.STATIC_AUDIT_LOG_DEFAULTS.logMaxSize;
  }
  f.metricsServer = { enable: f.metricsServer?.enable ?? true };
  if (f.openidConnect?.enable) {
    const cfg = (f.openidConnect.config ??= {});
    for (const [k, v] of Object.entries(d.OIDC_DEFAULTS)) {
      const key = k as keyof typeof d.OIDC_DEFAULTS;
      cfg[key] ||= v;
    }
  }
  f.nodeLocalDNS = { deploy: f.nodeLocalDNS?.deploy ?? true };
}

function defaultCABundle(c: KubeOneCluster): void {
  // caBundle is the deprecated spelling: both fields end up holding the same PEM.
  const bundle = c.certificateAuthority?.bundle || c.caBundle;
  if (!bundle) return;
  c.certificateAuthority = { ...c.certificateAuthority, bundle };
  c.caBundle = bundle;
}

function defaultManagedLoadBalancer(c: KubeOneCluster): void {
  if (!c.controlPlane?.nodeSets?.length || !c.cloudProvider) return;
  const name = c.name ?? '';
  const cp = c.cloudProvider;
  if (cp.hetzner) {
    const lb = ((cp.hetzner.controlPlane ??= {}).loadBalancer ??= {});
    lb.name ||= `${name}-kubeapi`;
    lb.type ||= 'lb11';
    lb.location ||= 'nbg1';
    lb.publicIP ??= true;
    lb.labels = { ...lb.labels, kubeone_cluster_name: name, kubeone_role: 'api' };
  } else if (cp.openstack) {
    const lb = ((cp.openstack.controlPlane ??= {}).loadBalancer ??= {});
    lb.name ||= `${name}-kube-apiserver`;
  } else if (cp.kubevirt?.controlPlane) {
    // Optional on KubeVirt (KubeOne defaults it only when set): without it apiEndpoint.host is required.
    const lb = (cp.kubevirt.controlPlane.loadBalancer ??= {});
    lb.name ||= `${name}-kubeapi`;
  }
}

function defaultAWSCloudConfig(c: KubeOneCluster): void {
  const cp = c.cloudProvider;
  if (!cp?.aws || !cp.external || cp.cloudConfig) return;
  cp.cloudConfig = `[global]\nKubernetesClusterID="${c.name ?? ''}"\nNodeIPFamilies="ipv4"\n`;
}
