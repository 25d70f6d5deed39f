// Lease-based leader election (coordination.k8s.io/v1), as client-go's
// leaderelection does for kube-controller-manager and kube-scheduler.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { KubeError, type KubeClient } from '../common/kube-client.js';

const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  readonly identity = `${os.hostname()}_${crypto.randomUUID()}`;
  isLeader = false;

  constructor(
    private readonly client: KubeClient,
    private readonly name: string,
    private readonly leaseDurationSeconds = 15,
  ) {}

  /** One acquire-or-renew attempt; returns whether we hold the lease now. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const base = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';
    const now = new Date();
    try {
      const lease = await this.client.get(`${base}/${this.name}`);
      if (!lease) {
        await this.client.create(base, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.name, namespace: 'kube-system' },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: this.leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        return (this.isLeader = true);
      }
      const spec = lease.spec ?? {};
      const renew = spec.renewTime ? Date.parse(spec.renewTime) : 0;
      const expired = renew + (spec.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1000 < now.getTime();
      if (spec.holderIdentity !== this.identity && !expired) return (this.isLeader = false);
      const taking = spec.holderIdentity !== this.identity;
      lease.spec = {
        ...spec,
        holderIdentity: this.identity,
        leaseDurationSeconds: this.leaseDurationSeconds,
        renewTime: microTime(now),
        ...(taking ? { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
      };
      await this.client.update(`${base}/${this.name}`, lease);
      return (this.isLeader = true);
    } catch (err) {
      if (err instanceof KubeError && err.status === 409) return (this.isLeader = false);
      this.isLeader = false;
      throw err;
    }
  }
}
