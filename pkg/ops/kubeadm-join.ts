// kubeadm.join: a short-lived token created on the leader on demand (kept in memory and in a
// 0600 file only, never on a command line), the CA hash for discovery, and the join. A join a
// killed run left halfway (started, not done) is cleaned up and redone.
import { randomBytes } from 'node:crypto';
import type { JSONSchemaType } from 'ajv';
import { renderJoinFile } from '../kubeadm/render-files.js';
import { renderJoinCleanup, renderKubeadmJoin, renderTokenCreate } from '../scripts/kubeadm-scripts.js';
import { SshError } from '../ssh/types.js';
import { type OpDeps, homeOf, leaderName, runScript, stepHost } from './context.js';
import { retryable } from './kubeadm-retry.js';
import { VERSION } from './params.js';
import { distributePki } from './pki-distribute.js';
import { caCertHash } from './pki.js';
import { defineOp } from './types.js';

export interface JoinParams {
  controlPlane: boolean;
  version: string;
}

const PARAMS: JSONSchemaType<JoinParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['controlPlane', 'version'],
  properties: { controlPlane: { type: 'boolean' }, version: VERSION },
};

const TOKEN_RE = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

async function createJoinToken(deps: OpDeps): Promise<string> {
  const leader = await deps.transport(leaderName(deps));
  const out = await runScript(leader, renderTokenCreate(), 'create join token');
  const token = out.trim().split('\n').pop() ?? '';
  if (!TOKEN_RE.test(token)) throw new SshError(leader.host, 'commandFailed', 'kubeadm token create printed no token');
  deps.secrets.add(token);
  return token;
}

export const kubeadmJoin = defineOp<JoinParams>({
  summary: 'kubeadm join as a control plane or a worker, with a fresh 15-minute token',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { controlPlane }) {
    const { host, t } = await stepHost(deps, step.host);
    const guard = controlPlane ? '/etc/kubernetes/admin.conf' : '/etc/kubernetes/kubelet.conf';
    await retryable(async () => {
      // Checked here too so no token is minted for a node that already joined (and finished).
      const joined = await t.exec(`sudo test -f ${guard} && { sudo test -f /var/lib/kubeone/join.done || ! sudo test -f /var/lib/kubeone/join.started; }`);
      if (joined.code === 0) return;
      await runScript(t, renderJoinCleanup(), 'clean up an interrupted join');
      // kubeadm reset (here or by the plan) removes the shared CA material: make sure it is there.
      if (controlPlane) await distributePki(deps, leaderName(deps), host.name);
      const leader = await deps.transport(leaderName(deps));
      const ca = await leader.readFile('/etc/kubernetes/pki/ca.crt');
      const token = await createJoinToken(deps);
      const path = `${await homeOf(t)}/kubeone/cfg/join-${randomBytes(6).toString('hex')}.yaml`;
      await t.writeFile(path, renderJoinFile(deps.loaded, host, { token, caCertHash: caCertHash(ca) }), { mode: 0o600 });
      await runScript(t, renderKubeadmJoin(controlPlane, path), `kubeadm join (${controlPlane ? 'control plane' : 'worker'})`);
    });
  },
  stillDone: ({ host }, { controlPlane }) => (controlPlane ? host?.adminConf === true : host?.kubelet?.kubeconfig === true),
  model: (world, { controlPlane }, host) => world.join(world.host(host), controlPlane),
});
