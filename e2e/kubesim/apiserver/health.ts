// /healthz, /livez, /readyz. livez only says the process serves; healthz and readyz
// also need etcd to answer a linearizable read (cached briefly) and start-up to be done.
import type { EtcdClient } from './etcd/etcd-client.js';

const CACHE_MS = 1000;

export class HealthChecker {
  private lastCheck = 0;
  private lastOk = false;
  private inFlight?: Promise<boolean>;
  bootstrapped = false;

  constructor(private readonly etcd: EtcdClient) {}

  async etcdOk(): Promise<boolean> {
    if (Date.now() - this.lastCheck < CACHE_MS) return this.lastOk;
    this.inFlight ??= this.etcd
      .revision()
      .then(() => true)
      .catch(() => false)
      .then((ok) => {
        this.lastOk = ok;
        this.lastCheck = Date.now();
        this.inFlight = undefined;
        return ok;
      });
    return this.inFlight;
  }

  /** Body and status code for a health path, or undefined if path is not one. */
  async respond(path: string, verbose: boolean): Promise<{ code: number; body: string } | undefined> {
    const m = /^\/(healthz|livez|readyz)(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return undefined;
    const kind = m[1]!;
    const only = m[2];
    const checks: Array<[string, boolean]> = [['ping', true], ['log', true]];
    if (kind !== 'livez') checks.push(['etcd', await this.etcdOk()]);
    // As the real apiserver, healthz and readyz fail until the post-start hooks ran: clients
    // (kubeadm's upload-config) may rely on kube-system existing once healthz says ok.
    if (kind !== 'livez') checks.push(['poststarthook/kubesim-bootstrap', this.bootstrapped]);
    const selected = only ? checks.filter(([n]) => n === only || `poststarthook/${only}` === n) : checks;
    if (only && selected.length === 0) return { code: 404, body: '404 page not found\n' };
    const ok = selected.every(([, v]) => v);
    if (ok && !verbose) return { code: 200, body: 'ok' };
    const lines = selected.map(([n, v]) => (v ? `[+]${n} ok` : `[-]${n} failed: reason withheld`));
    lines.push(ok ? `${kind} check passed` : `${kind} check failed`);
    return { code: ok ? 200 : 500, body: lines.join('\n') + '\n' };
  }
}
