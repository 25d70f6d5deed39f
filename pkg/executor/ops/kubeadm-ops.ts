// kubeadm.* and pki.distribute: configs uploaded 0600, init on the leader, joins with a
// short-lived token created on demand (in memory and a 0600 file only), upgrades, reset,
// certificate renewal, CA material copied leader -> control plane through our memory.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { renderJoinFile, renderKubeadmConfigFiles } from '../../kubeadm/render-files.js';
import {
  renderCertsRenew,
  renderKubeadmInit,
  renderJoinCleanup,
  renderKubeadmJoin,
  renderKubeadmReset,
  renderReconfigureControlPlane,
  renderTokenCreate,
  renderUpgradeApply,
  renderUpgradeNode,
} from '../../scripts/kubeadm-scripts.js';
import { SshError } from '../../ssh/types.js';
import type { OpRegistry, StepContext } from '../types.js';
import { type OpDeps, ensureRemoteFile, homeOf, hostByName, leaderName, runScript } from './context.js';

/** The CA material every control plane must share (kubeadm's list for --upload-certs). */
export const SHARED_PKI = [
  'ca.crt',
  'ca.key',
  'sa.key',
  'sa.pub',
  'front-proxy-ca.crt',
  'front-proxy-ca.key',
  'etcd/ca.crt',
  'etcd/ca.key',
];

/** sha256:<hex> of the CA's SubjectPublicKeyInfo, as kubeadm's discovery expects. */
export function caCertHash(caPem: string | Buffer): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

const TOKEN_RE = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/**
 * kubeadm init/join that fail halfway are worth another try (KubeOne retries them too): the
 * started/done records make the next attempt reset this host's kubeadm state first.
 */
async function withKubeadmRetries(deps: OpDeps, ctx: StepContext, attempt: () => Promise<void>, attempts = 3): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (n >= attempts || ctx.signal.aborted) throw error;
      await deps.clock.sleep(5000 * n, ctx.signal);
    }
  }
}

async function createJoinToken(deps: OpDeps): Promise<string> {
  const leader = await deps.transport(leaderName(deps));
  const out = await runScript(leader, renderTokenCreate(), 'create join token');
  const token = out.trim().split('\n').pop() ?? '';
  if (!TOKEN_RE.test(token)) throw new SshError(leader.host, 'commandFailed', 'kubeadm token create printed no token');
  deps.secrets.add(token);
  return token;
}

async function join(deps: OpDeps, ctx: StepContext): Promise<void> {
  const host = hostByName(deps, ctx.step.host);
  const controlPlane = Boolean(ctx.step.params?.controlPlane ?? host.role === 'controlPlane');
  const t = await deps.transport(host.name);
  const guard = controlPlane ? '/etc/kubernetes/admin.conf' : '/etc/kubernetes/kubelet.conf';
  // Checked here too so no token is minted for a node that already joined (and finished).
  const joined = await t.exec(`sudo test -f ${guard} && { sudo test -f /var/lib/kubeone/join.done || ! sudo test -f /var/lib/kubeone/join.started; }`);
  if (joined.code === 0) return;
  await runScript(t, renderJoinCleanup(), 'clean up an interrupted join');
  // kubeadm reset (here or by the plan) removes the shared CA material: make sure it is there.
  if (controlPlane) await distributePki(deps, ctx);
  const leader = await deps.transport(leaderName(deps));
  const ca = await leader.readFile('/etc/kubernetes/pki/ca.crt');
  const token = await createJoinToken(deps);
  const path = `${await homeOf(t)}/kubeone/cfg/join-${randomBytes(6).toString('hex')}.yaml`;
  await t.writeFile(path, renderJoinFile(deps.loaded, host, { token, caCertHash: caCertHash(ca) }), { mode: 0o600 });
  await runScript(t, renderKubeadmJoin(controlPlane, path), `kubeadm join (${controlPlane ? 'control plane' : 'worker'})`);
}

async function distributePki(deps: OpDeps, ctx: StepContext): Promise<void> {
  const host = hostByName(deps, ctx.step.host);
  const from = typeof ctx.step.params?.from === 'string' ? ctx.step.params.from : leaderName(deps);
  if (from === host.name) return;
  const source = await deps.transport(from);
  const target = await deps.transport(host.name);
  for (const file of SHARED_PKI) {
    const path = `/etc/kubernetes/pki/${file}`;
    const content = await source.readFile(path);
    // Key material stays in memory; only its hash is compared on the target.
    await ensureRemoteFile(target, { path, content: content.toString('utf8'), mode: '0600' });
  }
}

export function kubeadmOps(deps: OpDeps): OpRegistry {
  const onHost = async (ctx: StepContext) => {
    const host = hostByName(deps, ctx.step.host);
    return { host, t: await deps.transport(host.name) };
  };
  const version = (ctx: StepContext) => String(ctx.step.params?.version ?? deps.loaded.cluster.versions?.kubernetes ?? '').replace(/^v/, '');
  return {
    'kubeadm.config.render': async (ctx) => {
      const { host, t } = await onHost(ctx);
      const home = await homeOf(t);
      for (const [rel, content] of Object.entries(renderKubeadmConfigFiles(deps.loaded, host))) {
        await ensureRemoteFile(t, { path: `${home}/${rel}`, content, mode: '0600' });
      }
    },
    'kubeadm.init': async (ctx) => {
      const { host, t } = await onHost(ctx);
      const script = renderKubeadmInit(`${await homeOf(t)}/kubeone/cfg/init.yaml`);
      await withKubeadmRetries(deps, ctx, async () => void (await runScript(t, script, 'kubeadm init')));
      deps.leader.name = host.name;
    },
    'pki.distribute': (ctx) => distributePki(deps, ctx),
    'kubeadm.join': (ctx) => withKubeadmRetries(deps, ctx, () => join(deps, ctx)),
    'kubeadm.upgrade.apply': async (ctx) => {
      const { t } = await onHost(ctx);
      await runScript(t, renderUpgradeApply(version(ctx)), 'kubeadm upgrade apply');
    },
    'kubeadm.upgrade.node': async (ctx) => {
      const { host, t } = await onHost(ctx);
      if (ctx.step.params?.reconfigure && host.role === 'controlPlane') {
        await runScript(t, renderReconfigureControlPlane(`${await homeOf(t)}/kubeone/cfg/init.yaml`), 'reconfigure the control plane');
        return;
      }
      await runScript(t, renderUpgradeNode(version(ctx), host.role === 'controlPlane'), 'kubeadm upgrade node');
    },
    'kubeadm.reset': async (ctx) => {
      const { t } = await onHost(ctx);
      await runScript(t, renderKubeadmReset(), 'kubeadm reset');
    },
    'kubeadm.certs.renew': async (ctx) => {
      const { t } = await onHost(ctx);
      await runScript(t, renderCertsRenew(), 'renew certificates');
    },
  };
}

