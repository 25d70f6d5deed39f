import type { Issue } from './errors.js';
import { joinPath } from './path.js';
import { mergeTerraformWorkerset } from './terraform-workers.js';
import { PROVIDER_NAMES, type DynamicWorkerConfig, type HostConfig, type KubeOneCluster, type ProviderName } from './types.js';

// KubeOne's Terraform output schema (pkg/terraform/v1beta2/config.go): the keys we read.
const HOSTS_SPEC_KEYS = [
  'public_address', 'private_address', 'ipv6_addresses', 'hostnames', 'operating_system', 'ssh_user', 'ssh_port',
  'ssh_private_key_file', 'ssh_cert_file', 'ssh_agent_socket', 'ssh_hosts_keys', 'bastion', 'bastion_port', 'bastion_user',
  'bastion_host_key', 'bastion_private_key_file', 'kubelet', 'labels', 'annotations',
];
const CONTROL_PLANE_KEYS = [...HOSTS_SPEC_KEYS, 'cluster_name', 'cloud_provider', 'leader_ip', 'untaint', 'network_id', 'vapp_name', 'storage_profile'];
const KUBELET_KEYS = ['system_reserved', 'kube_reserved', 'eviction_hard', 'max_pods', 'image_gc_high_threshold_percent', 'image_gc_low_threshold_percent', 'image_minimum_gc_age', 'image_maximum_gc_age'];
const API_KEYS = ['endpoint', 'apiserver_alternative_names'];
const PROXY_KEYS = ['http', 'https', 'noProxy'];

type Obj = Record<string, unknown>;

// Amazon Linux was removed in KubeOne 1.12.
const SUPPORTED_OS = ['ubuntu', 'debian', 'centos', 'rhel', 'rockylinux', 'flatcar'];

class Reader {
  readonly issues: Issue[] = [];
  constructor(private readonly file: string) {}
  fail(path: string, message: string): void {
    this.issues.push({ path, message, file: this.file });
  }
  object(v: unknown, path: string, keys?: string[]): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.fail(path, 'must be an object');
      return undefined;
    }
    if (keys) for (const k of Object.keys(v)) if (!keys.includes(k)) this.fail(joinPath(path, k), `unknown field ${JSON.stringify(k)}`);
    return v as Obj;
  }
  string(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(path, 'must be a string');
    return typeof v === 'string' ? v : undefined;
  }
  number(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) this.fail(path, 'must be an integer');
    return typeof n === 'number' ? n : undefined;
  }
  strings(v: unknown, path: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      this.fail(path, 'must be a list of strings');
      return [];
    }
    return v as string[];
  }
  stringMap(v: unknown, path: string): Record<string, string> | undefined {
    const o = this.object(v, path);
    if (!o) return undefined;
    for (const [k, val] of Object.entries(o)) if (typeof val !== 'string') this.fail(joinPath(path, k), 'must be a string');
    return o as Record<string, string>;
  }
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function readHosts(r: Reader, spec: Obj, path: string): HostConfig[] {
  const pub = r.strings(spec.public_address, joinPath(path, 'public_address'));
  const priv = r.strings(spec.private_address, joinPath(path, 'private_address'));
  const hostnames = r.strings(spec.hostnames, joinPath(path, 'hostnames'));
  const hostKeys = r.strings(spec.ssh_hosts_keys, joinPath(path, 'ssh_hosts_keys'));
  const ipv6 = Array.isArray(spec.ipv6_addresses) ? spec.ipv6_addresses : [];
  const kubelet = r.object(spec.kubelet, joinPath(path, 'kubelet'), KUBELET_KEYS);
  const count = Math.max(pub.length, priv.length);
  const hosts: HostConfig[] = [];
  for (let i = 0; i < count; i++) {
    const h: HostConfig = {};
    set(h, 'publicAddress', pub[i] || undefined);
    set(h, 'privateAddress', priv[i] || undefined);
    if (ipv6[i] !== undefined) set(h, 'ipv6Addresses', r.strings(ipv6[i], joinPath(joinPath(path, 'ipv6_addresses'), i)));
    set(h, 'hostname', hostnames[i] || undefined);
    set(h, 'sshHostPublicKey', hostKeys[i] || undefined);
    set(h, 'sshUsername', r.string(spec.ssh_user, joinPath(path, 'ssh_user')));
    set(h, 'sshPort', r.number(spec.ssh_port, joinPath(path, 'ssh_port')));
    set(h, 'sshPrivateKeyFile', r.string(spec.ssh_private_key_file, joinPath(path, 'ssh_private_key_file')));
    set(h, 'sshCertFile', r.string(spec.ssh_cert_file, joinPath(path, 'ssh_cert_file')));
    set(h, 'sshAgentSocket', r.string(spec.ssh_agent_socket, joinPath(path, 'ssh_agent_socket')));
    set(h, 'bastion', r.string(spec.bastion, joinPath(path, 'bastion')));
    set(h, 'bastionPort', r.number(spec.bastion_port, joinPath(path, 'bastion_port')));
    set(h, 'bastionUser', r.string(spec.bastion_user, joinPath(path, 'bastion_user')));
    set(h, 'bastionHostPublicKey', r.string(spec.bastion_host_key, joinPath(path, 'bastion_host_key')));
    set(h, 'bastionPrivateKeyFile', r.string(spec.bastion_private_key_file, joinPath(path, 'bastion_private_key_file')));
    const os = r.string(spec.operating_system, joinPath(path, 'operating_system'));
    if (os !== undefined && !SUPPORTED_OS.includes(os)) {
      if (i === 0) r.fail(joinPath(path, 'operating_system'), `unsupported value ${JSON.stringify(os)}; supported values: ${SUPPORTED_OS.join(', ')}`);
    } else set(h, 'operatingSystem', os as HostConfig['operatingSystem']);
    set(h, 'labels', r.stringMap(spec.labels, joinPath(path, 'labels')));
    set(h, 'annotations', r.stringMap(spec.annotations, joinPath(path, 'annotations')));
    if (kubelet) {
      const kp = joinPath(path, 'kubelet');
      const k: NonNullable<HostConfig['kubelet']> = {};
      set(k, 'systemReserved', r.stringMap(kubelet.system_reserved, joinPath(kp, 'system_reserved')));
      set(k, 'kubeReserved', r.stringMap(kubelet.kube_reserved, joinPath(kp, 'kube_reserved')));
      set(k, 'evictionHard', r.stringMap(kubelet.eviction_hard, joinPath(kp, 'eviction_hard')));
      set(k, 'maxPods', r.number(kubelet.max_pods, joinPath(kp, 'max_pods')));
      set(k, 'imageGCHighThresholdPercent', r.number(kubelet.image_gc_high_threshold_percent, joinPath(kp, 'image_gc_high_threshold_percent')));
      set(k, 'imageGCLowThresholdPercent', r.number(kubelet.image_gc_low_threshold_percent, joinPath(kp, 'image_gc_low_threshold_percent')));
      set(k, 'imageMinimumGCAge', r.string(kubelet.image_minimum_gc_age, joinPath(kp, 'image_minimum_gc_age')));
      set(k, 'imageMaximumGCAge', r.string(kubelet.image_maximum_gc_age, joinPath(kp, 'image_maximum_gc_age')));
      h.kubelet = k;
    }
    hosts.push(h);
  }
  return hosts;
}

function outputValue(outputs: Obj, key: string): unknown {
  const o = outputs[key];
  return o && typeof o === 'object' && 'value' in o ? (o as Obj).value : undefined;
}

/**
 * Applies `terraform output -json` to a decoded (not yet defaulted) manifest, as KubeOne:
 * Terraform hosts replace controlPlane.hosts, static worker groups are appended in sorted
 * order, dynamic workers merge by name (terraform-workers.ts). Unknown outputs are ignored; unknown fields inside
 * the known ones are errors. Pure: returns a new cluster and the issues found.
 */
export function applyTerraformOutput(input: KubeOneCluster, outputs: unknown, file = 'terraform output'): { cluster: KubeOneCluster; issues: Issue[] } {
  const r = new Reader(file);
  const c = structuredClone(input);
  const root = r.object(outputs, '(root)');
  if (!root) return { cluster: c, issues: r.issues };

  const api = r.object(outputValue(root, 'kubeone_api'), 'kubeone_api.value', API_KEYS);
  if (api) {
    c.apiEndpoint ??= {};
    set(c.apiEndpoint, 'host', r.string(api.endpoint, 'kubeone_api.value.endpoint'));
    const alt = r.strings(api.apiserver_alternative_names, 'kubeone_api.value.apiserver_alternative_names');
    if (alt.length) c.apiEndpoint.alternativeNames = alt;
  }

  const hosts = r.object(outputValue(root, 'kubeone_hosts'), 'kubeone_hosts.value', ['control_plane']);
  const cp = hosts && r.object(hosts.control_plane, 'kubeone_hosts.value.control_plane', CONTROL_PLANE_KEYS);
  if (cp) {
    const base = 'kubeone_hosts.value.control_plane';
    set(c, 'name', r.string(cp.cluster_name, joinPath(base, 'cluster_name')));
    const provider = r.string(cp.cloud_provider, joinPath(base, 'cloud_provider'));
    if (provider) {
      // KubeOne's SetCloudProvider also takes "packet", Equinix Metal's former name.
      const known = provider === 'packet' ? 'equinixmetal' : provider;
      if (!(PROVIDER_NAMES as readonly string[]).includes(known)) r.fail(joinPath(base, 'cloud_provider'), `unknown cloud provider ${JSON.stringify(provider)}`);
      else {
        c.cloudProvider ??= {};
        const p = known as ProviderName;
        if (c.cloudProvider[p] === undefined) (c.cloudProvider as Record<string, unknown>)[p] = {};
      }
    }
    const networkID = r.string(cp.network_id, joinPath(base, 'network_id'));
    if (networkID && c.cloudProvider?.hetzner) c.cloudProvider.hetzner.networkID = networkID;
    const vapp = r.string(cp.vapp_name, joinPath(base, 'vapp_name'));
    const storage = r.string(cp.storage_profile, joinPath(base, 'storage_profile'));
    // As KubeOne: on VMware Cloud Director the vApp is Terraform's vapp_name, else the cluster's name.
    if (c.cloudProvider?.vmwareCloudDirector) {
      c.cloudProvider.vmwareCloudDirector.vApp = vapp || c.name;
      set(c.cloudProvider.vmwareCloudDirector, 'storageProfile', storage);
    }
    const list = readHosts(r, cp, base);
    const leader = r.string(cp.leader_ip, joinPath(base, 'leader_ip'));
    const untaint = cp.untaint === true;
    for (const h of list) {
      if (leader && (h.publicAddress === leader || h.privateAddress === leader)) h.isLeader = true;
      if (untaint) h.taints = [];
    }
    if (list.length) c.controlPlane = { ...c.controlPlane, hosts: list };
  }

  const statics = r.object(outputValue(root, 'kubeone_static_workers'), 'kubeone_static_workers.value');
  if (statics) {
    const added: HostConfig[] = [];
    for (const group of Object.keys(statics).sort()) {
      const path = joinPath('kubeone_static_workers.value', group);
      const spec = r.object(statics[group], path, HOSTS_SPEC_KEYS);
      if (spec) added.push(...readHosts(r, spec, path));
    }
    if (added.length) c.staticWorkers = { hosts: [...(c.staticWorkers?.hosts ?? []), ...added] };
  }

  const workers = r.object(outputValue(root, 'kubeone_workers'), 'kubeone_workers.value');
  if (workers) {
    const list = [...(c.dynamicWorkers ?? [])];
    for (const name of Object.keys(workers).sort()) {
      const path = joinPath('kubeone_workers.value', name);
      const w = r.object(workers[name], path, ['replicas', 'providerSpec']);
      if (!w) continue;
      const incoming = { name, ...w } as DynamicWorkerConfig;
      const i = list.findIndex((x) => x.name === name);
      if (i >= 0) {
        const issues: { path: string; message: string }[] = [];
        list[i] = mergeTerraformWorkerset(c, list[i]!, w, path, issues);
        for (const issue of issues) r.fail(issue.path, issue.message);
      }
      else list.push(incoming);
    }
    c.dynamicWorkers = list;
  }

  const proxy = r.object(outputValue(root, 'proxy'), 'proxy.value', PROXY_KEYS);
  if (proxy) {
    c.proxy ??= {};
    set(c.proxy, 'http', r.string(proxy.http, 'proxy.value.http'));
    set(c.proxy, 'https', r.string(proxy.https, 'proxy.value.https'));
    set(c.proxy, 'noProxy', r.string(proxy.noProxy, 'proxy.value.noProxy'));
  }
  return { cluster: c, issues: r.issues };
}
