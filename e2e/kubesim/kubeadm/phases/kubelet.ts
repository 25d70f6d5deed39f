// "kubelet-start" and "kubelet-finalize": the kubelet's config file and flags
// as kubeadm writes them, (re)starting the kubelet through systemd, and
// pointing kubelet.conf at the rotatable client certificate.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { systemctl } from '../../common/host.js';
import { dnsServiceIp } from '../../common/net.js';
import { poll } from '../../common/kube-client.js';
import { loadKubeconfig, writeKubeconfig } from '../../common/kubeconfig.js';
import type { Arg, ClusterConfig, NodeRegistration } from '../config/types.js';
import { out, warn } from '../output.js';
import { p, PATHS } from '../paths.js';

/** The KubeletConfiguration kubeadm stores and writes, with kubeadm's defaults filled in. */
export function defaultKubeletConfiguration(user: Record<string, unknown>, cfg: ClusterConfig): Record<string, unknown> {
  const base: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true }, x509: { clientCAFile: `${cfg.certificatesDir}/ca.crt` } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [dnsServiceIp(cfg.networking.serviceSubnet)],
    clusterDomain: cfg.networking.dnsDomain,
    containerRuntimeEndpoint: '',
    cpuManagerReconcilePeriod: '0s',
    crashLoopBackOff: {},
    evictionPressureTransitionPeriod: '0s',
    fileCheckFrequency: '0s',
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    httpCheckFrequency: '0s',
    imageMaximumGCAge: '0s',
    imageMinimumGCAge: '0s',
    logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
    memorySwap: {},
    nodeStatusReportFrequency: '0s',
    nodeStatusUpdateFrequency: '0s',
    rotateCertificates: true,
    runtimeRequestTimeout: '0s',
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    staticPodPath: '/etc/kubernetes/manifests',
    streamingConnectionIdleTimeout: '0s',
    syncFrequency: '0s',
    volumeStatsAggPeriod: '0s',
  };
  const merged: Record<string, unknown> = { ...base, ...user };
  for (const k of ['authentication', 'authorization'] as const) {
    if (user[k]) merged[k] = { ...(base[k] as object), ...(user[k] as object) };
  }
  if (fs.existsSync('/run/systemd/resolve/resolv.conf') && !user.resolvConf) merged.resolvConf = '/run/systemd/resolve/resolv.conf';
  return merged;
}

export function writeKubeletConfigFile(kubeletConfig: Record<string, unknown>): void {
  fs.mkdirSync(p(PATHS.kubeletDir), { recursive: true });
  out(`[kubelet-start] Writing kubelet configuration to file "${PATHS.kubeletConfig}"`);
  fs.writeFileSync(p(PATHS.kubeletConfig), stringify(kubeletConfig), { mode: 0o644 });
}

/**
 * kubeadm-flags.env: runtime endpoint, --hostname-override when the node name is not the
 * machine's hostname, --register-with-taints on worker joins (control planes get theirs from
 * mark-control-plane), then nodeRegistration.kubeletExtraArgs overriding any of them; sorted by
 * name, as kubeadm's ArgumentsToCommand does.
 */
export function writeKubeletFlags(nr: NodeRegistration, opts: { registerTaints: boolean; hostname: string }): void {
  const args: Arg[] = [{ name: 'container-runtime-endpoint', value: nr.criSocket }];
  if (nr.name !== opts.hostname) args.push({ name: 'hostname-override', value: nr.name });
  if (opts.registerTaints && nr.taints.length) {
    args.push({ name: 'register-with-taints', value: nr.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',') });
  }
  const byName = new Map<string, string>();
  for (const a of [...args, ...nr.kubeletExtraArgs]) byName.set(a.name, a.value);
  const line = [...byName.keys()]
    .sort()
    .map((k) => `--${k}=${byName.get(k)}`)
    .join(' ');
  fs.mkdirSync(p(PATHS.kubeletDir), { recursive: true });
  out(`[kubelet-start] Writing kubelet environment file with flags to file "${PATHS.kubeletFlags}"`);
  fs.writeFileSync(p(PATHS.kubeletFlags), `KUBELET_KUBEADM_ARGS="${line}"\n`, { mode: 0o644 });
}

export function restartKubelet(): void {
  out('[kubelet-start] Starting the kubelet');
  if (process.env.KUBESIM_ROOT) return;
  const enabled = systemctl(['is-enabled', 'kubelet']);
  if (!enabled.ok) warn(`[WARNING Service-Kubelet]: kubelet service is not enabled, please run 'systemctl enable kubelet.service'`);
  const r = systemctl(['restart', 'kubelet']);
  if (!r.ok) warn(`[kubelet-start] WARNING: unable to start the kubelet service: [${r.output.trim()}]`);
}

export function stopKubelet(): void {
  if (process.env.KUBESIM_ROOT) return;
  systemctl(['stop', 'kubelet']);
}

export function kubeletHealthy(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: 10248, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function waitForKubelet(timeoutMs: number): Promise<void> {
  out(`[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to ${Math.round(timeoutMs / 60000)}m0s`);
  const start = Date.now();
  try {
    await poll('the kubelet', timeoutMs, 500, async () => ((await kubeletHealthy()) ? true : undefined));
  } catch {
    throw new Error(
      `The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused.\n\nUnfortunately, an error has occurred, likely caused by:\n\t- The kubelet is not running\n\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)\n\nIf you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:\n\t- 'systemctl status kubelet'\n\t- 'journalctl -xeu kubelet'`,
    );
  }
  out(`[kubelet-check] The kubelet is healthy after ${((Date.now() - start) / 1000).toFixed(3)}s`);
}

/** kubelet-finalize: kubelet.conf -> /var/lib/kubelet/pki/kubelet-client-current.pem */
export async function finalizeKubeletConf(): Promise<void> {
  const current = p(PATHS.kubeletClientCurrent);
  try {
    await poll('kubelet-client-current.pem', 30_000, 500, async () => (fs.existsSync(current) ? true : undefined));
  } catch {
    warn(`[kubelet-finalize] WARNING: the kubelet client certificate ${PATHS.kubeletClientCurrent} did not appear; kubelet.conf left as is`);
    return;
  }
  const cfg = loadKubeconfig(p(PATHS.kubelet));
  const doc = parse(fs.readFileSync(p(PATHS.kubelet), 'utf8')) as Record<string, any>;
  out(`[kubelet-finalize] Updating "${PATHS.kubelet}" to point to a rotatable kubelet client certificate and key`);
  writeKubeconfig(p(PATHS.kubelet), {
    clusterName: doc.clusters?.[0]?.name ?? 'kubernetes',
    server: cfg.server,
    caPem: cfg.ca?.toString('utf8') ?? '',
    user: 'system:node:' + path.basename(doc.users?.[0]?.name ?? '').replace(/^system:node:/, ''),
    clientCertFile: PATHS.kubeletClientCurrent,
    clientKeyFile: PATHS.kubeletClientCurrent,
  });
}
