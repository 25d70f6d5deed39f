// Degraded mode: the cluster exists but no kube-apiserver answered, or etcd lost quorum (or
// the manifest has no control plane at all). Joins, upgrades, repairs and addons are refused;
// only host-level work is planned.
import { EtcdQuorum } from '../membership.js';
import type { CheckStage } from '../kind.js';

export const clusterGate: CheckStage = {
  name: 'refuse cluster changes without a leader or etcd quorum',
  when: ['degraded'],
  kinds: {},
  plan(ctx) {
    if (!ctx.clusterExists) {
      ctx.b.refuse({ rule: 'no-leader', hosts: [], message: 'the manifest has no control plane host', hint: 'add controlPlane.hosts' });
    } else if (ctx.leader === null) {
      const initialized = ctx.controlPlanes.filter((h) => h.cpInitialized).map((h) => h.name);
      ctx.b.refuse({
        rule: 'no-leader',
        hosts: initialized,
        message:
          `the cluster exists (control planes initialized: ${initialized.join(', ') || 'unknown'}) but no kube-apiserver answered` +
          `${ctx.kube?.error ? ` (${ctx.kube.error})` : ''}; joins, upgrades, repairs and addons need a leader`,
        hint: 'check kube-apiserver and etcd on the control planes (kubeone status); restore etcd from a backup if it lost its data, then plan again',
      });
    } else {
      const quorum = new EtcdQuorum(ctx.membership.etcdMembers, ctx.membership.etcdHealthy);
      const dead = ctx.controlPlanes.filter((h) => h.dead).map((h) => h.name);
      ctx.b.refuse({
        rule: 'quorum',
        hosts: dead,
        message: `etcd has lost quorum (${quorum.describe()}): no member can be removed or added safely, so nothing in the cluster is changed`,
        hint: `bring the dead control planes (${dead.join(', ')}) back, or restore etcd from a backup on one control plane, then plan again`,
      });
    }
    return [];
  },
};
