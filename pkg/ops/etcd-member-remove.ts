// etcd.member.remove: through the etcd v3 JSON gateway on a healthy control plane, with the
// etcd client certificates already on that host (curl is on every supported OS).
import type { JSONSchemaType } from 'ajv';
import { shq } from '../scripts/shell.js';
import { runScript } from './context.js';
import { PreconditionError } from './errors.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface MemberRemoveParams {
  /** Hex, as etcdctl and the probe show it. */
  memberId: string;
  name: string;
}

const PARAMS: JSONSchemaType<MemberRemoveParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['memberId', 'name'],
  properties: { memberId: { type: 'string', pattern: '^(0x)?[0-9a-fA-F]{1,20}$' }, name: NAME },
};

const CURL =
  'sudo curl -sS --fail --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key -X POST';

/**
 * memberId comes in hex, as etcdctl and the probe show it; the JSON gateway wants decimal.
 * (More than 16 digits cannot be hex of a uint64: taken as decimal already.)
 */
export function memberIdDecimal(id: string): string {
  const clean = id.trim().toLowerCase().replace(/^0x/, '');
  if (/^[0-9]{17,20}$/.test(clean)) return clean;
  if (!/^[0-9a-f]{1,16}$/.test(clean)) throw new Error(`etcd member id "${id}" is not a hex uint64`);
  return BigInt(`0x${clean}`).toString(10);
}

export function renderMemberRemove(idDecimal: string): string {
  return [
    'set -euo pipefail',
    `members=$(${CURL} https://127.0.0.1:2379/v3/cluster/member/list -d '{}')`,
    `if ! printf '%s' "$members" | grep -q ${shq(`"ID":"${idDecimal}"`)}; then echo "member already removed"; exit 0; fi`,
    `${CURL} https://127.0.0.1:2379/v3/cluster/member/remove -d ${shq(JSON.stringify({ ID: idDecimal }))}`,
  ].join('\n');
}

export const etcdMemberRemove = defineOp<MemberRemoveParams>({
  summary: 'remove an etcd member, through a healthy control plane',
  params: PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, step }, { memberId, name }) {
    const removed = step.host ?? name;
    const healthy = deps.loaded.hosts.find(
      (h) =>
        h.role === 'controlPlane' &&
        h.name !== removed &&
        (deps.snapshot.state.kube?.apiserverHealthy[h.name] ?? false) &&
        deps.snapshot.state.hosts.find((f) => f.name === h.name)?.reachable,
    );
    if (!healthy) throw new PreconditionError(`no healthy control plane to remove etcd member ${name} (${memberId}) from`);
    await runScript(await deps.transport(healthy.name), renderMemberRemove(memberIdDecimal(memberId)), `remove etcd member ${name}`);
  },
  stillDone: ({ snapshot }, { memberId }) => !(snapshot.state.kube?.etcdMembers ?? []).some((m) => m.id === memberId),
  model(world, { memberId }) {
    if (world.kube) world.kube.etcdMembers = world.kube.etcdMembers.filter((m) => m.id !== memberId);
  },
});
