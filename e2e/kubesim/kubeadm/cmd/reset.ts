// kubeadm reset: leave etcd (when this node runs a member), stop the kubelet,
// and remove what init/join created on this host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parse } from 'yaml';
import { KubeClient } from '../../common/kube-client.js';
import { loadKubeconfig } from '../../common/kubeconfig.js';
import { EtcdClient } from '../etcd.js';
import { KubeadmError, out, warn } from '../output.js';
import { p, PATHS } from '../paths.js';
import { stopKubelet } from '../phases/kubelet.js';

function localEtcd(): { dataDir: string; peerURL: string; clientURL: string; certDir: string } | undefined {
  const file = p(`${PATHS.manifests}/etcd.yaml`);
  if (!fs.existsSync(file)) return undefined;
  const pod = parse(fs.readFileSync(file, 'utf8')) as any;
  const cmd: string[] = pod?.spec?.containers?.[0]?.command ?? [];
  const flag = (n: string): string | undefined => cmd.find((c) => c.startsWith(`--${n}=`))?.slice(n.length + 3);
  const certFile = flag('trusted-ca-file') ?? '/etc/kubernetes/pki/etcd/ca.crt';
  return {
    dataDir: flag('data-dir') ?? '/var/lib/etcd',
    peerURL: flag('initial-advertise-peer-urls') ?? '',
    clientURL: flag('advertise-client-urls') ?? '',
    certDir: path.dirname(path.dirname(certFile)),
  };
}

async function removeEtcdMember(etcd: NonNullable<ReturnType<typeof localEtcd>>): Promise<void> {
  let endpoints = [etcd.clientURL];
  // Prefer the other members: this one may already be down.
  try {
    const client = new KubeClient(loadKubeconfig(p(PATHS.admin)), 'kubeadm', 5000);
    const pods = await client.list('/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd');
    client.close();
    const others = (pods.items ?? []).map((x: any) => x.metadata?.annotations?.['kubeadm.kubernetes.io/etcd.advertise-client-urls']).filter((u: string) => u && u !== etcd.clientURL);
    endpoints = [...others, etcd.clientURL];
  } catch {
    /* API unreachable: try our own member */
  }
  const client = new EtcdClient(endpoints, p(etcd.certDir));
  try {
    const members = await client.memberList();
    const me = members.find((m) => (m.peerURLs ?? []).includes(etcd.peerURL));
    if (!me) return;
    if (members.length === 1) {
      out('[reset] This is the only etcd member; not removing it from the cluster');
      return;
    }
    await client.memberRemove(me.ID);
    out(`[reset] Removed etcd member ${me.name ?? me.ID} (${etcd.peerURL}) from the etcd cluster`);
  } finally {
    client.close();
  }
}

function cleanDir(dir: string): void {
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(p(dir));
  } catch {
    return;
  }
  for (const e of entries) fs.rmSync(path.join(p(dir), e), { recursive: true, force: true });
}

async function confirm(): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer: string = await new Promise((resolve) => {
    rl.question('[reset] Are you sure you want to proceed? [y/N]: ', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return ['y', 'yes'].includes(answer.trim().toLowerCase());
}

export async function runReset(opts: { force: boolean; certDir: string; skipPhases: string[] }): Promise<void> {
  out('[reset] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...');
  out('[reset] WARNING: Changes made to this host by \'kubeadm init\' or \'kubeadm join\' will be reverted.');
  if (!opts.force && !(await confirm())) throw new KubeadmError("won't proceed; the user didn't answer (Y|y) in order to continue", 'preflight');
  out('[preflight] Running pre-flight checks');
  const etcd = localEtcd();
  if (etcd && !opts.skipPhases.includes('remove-etcd-member')) {
    try {
      await removeEtcdMember(etcd);
    } catch (err) {
      warn(`[reset] Failed to remove etcd member: ${(err as Error).message}. Please manually remove this etcd member using etcdctl`);
    }
  }
  out('[reset] Stopping the kubelet service');
  stopKubelet();
  out('[reset] Unmounting mounted directories in "/var/lib/kubelet"');
  const dirs = ['/etc/kubernetes/manifests', '/var/lib/kubelet', opts.certDir];
  if (etcd) {
    out(`[reset] Deleting contents of the etcd data directory: ${etcd.dataDir}`);
    cleanDir(etcd.dataDir);
  }
  out(`[reset] Deleting contents of directories: [${dirs.join(' ')}]`);
  for (const d of dirs) cleanDir(d);
  const files = [PATHS.admin, PATHS.superAdmin, PATHS.kubelet, PATHS.bootstrapKubelet, PATHS.controllerManager, PATHS.scheduler];
  out(`[reset] Deleting files: [${files.join(' ')}]`);
  for (const f of files) fs.rmSync(p(f), { force: true });
  fs.rmSync(p(PATHS.tmp), { recursive: true, force: true });
  out('');
  out('The reset process does not perform cleanup of CNI plugin configuration,');
  out('network filtering rules and kubeconfig files.');
  out('');
  out('For information on how to perform this cleanup manually, please see:');
  out('    https://k8s.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/');
}
