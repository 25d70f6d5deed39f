// Hooks of a scenario whose cases share one fleet and build on each other: once a case fails
// the later ones are skipped (their starting state is gone), and the fleet is destroyed at the end.
import type { Fleet } from './fleet.js';

export function scenarioHooks(fleet: () => Fleet | undefined): void {
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async function () {
    this.timeout(180_000);
    await fleet()?.destroy();
  });
}

/** etcdctl on a control plane with the client certificate kubeadm writes for etcd's health
 * check: scenarios read what the apiserver stored, bypassing the API. */
export const HOST_ETCDCTL =
  'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key';
