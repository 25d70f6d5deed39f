// Simulated kube-controller-manager: health endpoint on --secure-port (10257),
// leader election, and the controllers a kubeadm cluster needs to come up:
// CSR approving/signing, bootstrap signer, token cleaner, node lifecycle and
// pod CIDR allocation. Other flags are accepted and ignored.
import * as fs from 'node:fs';
import { parseDuration } from '../common/duration.js';
import { KubeClient, sleep } from '../common/kube-client.js';
import { loadKubeconfig } from '../common/kubeconfig.js';
import { parseCertificate } from '../pki/x509.js';
import type { LoadedCa } from '../pki/kubeadm-pki.js';
import * as crypto from 'node:crypto';
import { cleanAndSign } from './bootstrap-tokens.js';
import { approveNodeClientCsrs, signApprovedCsrs } from './csr.js';
import { LeaderElector } from './leader-election.js';
import { allocatePodCidrs, markUnreachableNodes } from './node-lifecycle.js';
import { serveHealth } from './serving.js';

export function parseLooseFlags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) continue;
    if (m[2] !== undefined) out.set(m[1]!, m[2]);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out.set(m[1]!, argv[++i]!);
    else out.set(m[1]!, 'true');
  }
  return out;
}

function loadSigner(certFile: string, keyFile: string): LoadedCa {
  const certPem = fs.readFileSync(certFile, 'utf8');
  const parsed = parseCertificate(certPem);
  return { certPem, key: crypto.createPrivateKey(fs.readFileSync(keyFile)), subjectDer: parsed.subjectDer, spki: parsed.spki, notBefore: parsed.notBefore, notAfter: parsed.notAfter };
}

export async function runControllerManager(argv: string[], log: (l: string) => void): Promise<void> {
  const flags = parseLooseFlags(argv);
  const kubeconfig = flags.get('kubeconfig');
  if (!kubeconfig) throw new Error('--kubeconfig is required');
  const bind = flags.get('bind-address') ?? '0.0.0.0';
  const port = Number(flags.get('secure-port') ?? 10257);
  serveHealth(bind, port, 'kube-controller-manager', () => true);
  const client = new KubeClient(loadKubeconfig(kubeconfig), 'kube-controller-manager', 5000);
  const elector = new LeaderElector(client, 'kube-controller-manager');
  const signingDuration = parseDuration(flags.get('cluster-signing-duration') ?? '8760h');
  const certFile = flags.get('cluster-signing-cert-file');
  const keyFile = flags.get('cluster-signing-key-file');
  const allocate = flags.get('allocate-node-cidrs') === 'true' && flags.get('cluster-cidr');
  const mask = Number(flags.get('node-cidr-mask-size-ipv4') ?? flags.get('node-cidr-mask-size') ?? 24);
  let wasLeader = false;
  for (;;) {
    try {
      const leader = await elector.tryAcquireOrRenew();
      if (leader !== wasLeader) log(leader ? `successfully acquired lease kube-system/kube-controller-manager as ${elector.identity}` : 'lost the lease');
      wasLeader = leader;
      if (leader) {
        await approveNodeClientCsrs(client, log);
        if (certFile && keyFile && fs.existsSync(keyFile)) await signApprovedCsrs(client, loadSigner(certFile, keyFile), signingDuration, log);
        await cleanAndSign(client, log);
        await markUnreachableNodes(client, log);
        if (allocate) await allocatePodCidrs(client, flags.get('cluster-cidr')!, mask, log);
      }
    } catch (err) {
      log(`controller loop: ${(err as Error).message}`);
    }
    await sleep(2000);
  }
}

export async function runScheduler(argv: string[], log: (l: string) => void): Promise<void> {
  const flags = parseLooseFlags(argv);
  const kubeconfig = flags.get('kubeconfig');
  if (!kubeconfig) throw new Error('--kubeconfig is required');
  serveHealth(flags.get('bind-address') ?? '0.0.0.0', Number(flags.get('secure-port') ?? 10259), 'kube-scheduler', () => true);
  const client = new KubeClient(loadKubeconfig(kubeconfig), 'kube-scheduler', 5000);
  const elector = new LeaderElector(client, 'kube-scheduler');
  let wasLeader = false;
  for (;;) {
    try {
      const leader = await elector.tryAcquireOrRenew();
      if (leader !== wasLeader) log(leader ? `successfully acquired lease kube-system/kube-scheduler as ${elector.identity}` : 'lost the lease');
      wasLeader = leader;
    } catch (err) {
      log(`leader election: ${(err as Error).message}`);
    }
    await sleep(2000);
  }
}
