// A running fleet: host descriptors, SSH access, fault controls and teardown.
// Works the same on a fleet started by this process and on one re-attached
// from its fleet.json (the sandbox CLI's `down`, another test process).
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { docker, dockerRaw, inspect, listByLabels } from './docker.js';
import { startHostContainer } from './host-container.js';
import { renderManifest } from './manifest.js';
import { removeNetwork, unusedAddress } from './network.js';
import { sshConnect, sshRun, waitForSshLogin, type SshConnection, type SshTarget } from './ssh.js';
import { LABEL_FLEET, LABEL_HOST, LABEL_OWNER_PID, LABEL_PERSISTENT, type ExecResult, type FleetHost, type FleetState } from './types.js';

export const FLEET_STATE_FILE = 'fleet.json';

type HostRef = FleetHost | string;

export type DisconnectMode = 'drop' | 'unplug';

export class Fleet {
  private constructor(
    private state: FleetState,
    private readonly privateKey: string,
    private readonly onDestroyed?: () => void,
  ) {}

  static async fromState(state: FleetState, onDestroyed?: () => void): Promise<Fleet> {
    return new Fleet(state, await readFile(state.keyPath, 'utf8'), onDestroyed);
  }

  /** Re-attaches to the fleet recorded in DIR/fleet.json. */
  static async attach(dir: string): Promise<Fleet> {
    const file = path.join(path.resolve(dir), FLEET_STATE_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new Error(`no fleet recorded in ${file}`);
    }
    return Fleet.fromState(JSON.parse(text) as FleetState);
  }

  get name(): string { return this.state.name; }
  get dir(): string { return this.state.dir; }
  get manifestPath(): string { return this.state.manifestPath; }
  get keyPath(): string { return this.state.keyPath; }
  get network() { return { ...this.state.network }; }
  get hosts(): FleetHost[] { return this.state.hosts.map((h) => ({ ...h })); }
  get controlPlanes(): FleetHost[] { return this.hosts.filter((h) => h.role === 'control-plane'); }
  get workers(): FleetHost[] { return this.hosts.filter((h) => h.role === 'worker'); }
  get bastion(): FleetHost | undefined { return this.hosts.find((h) => h.role === 'bastion'); }
  /** A copy of what fleet.json holds. */
  get snapshot(): FleetState { return JSON.parse(JSON.stringify(this.state)) as FleetState; }

  host(ref: HostRef): FleetHost {
    const name = typeof ref === 'string' ? ref : ref.name;
    const host = this.state.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`fleet ${this.name} has no host '${name}' (hosts: ${this.state.hosts.map((h) => h.name).join(', ')})`);
    return { ...host };
  }

  /** How the test machine logs in to the host: directly, or through the bastion. */
  sshTarget(ref: HostRef): SshTarget {
    const host = this.host(ref);
    const base = { user: host.user, privateKey: this.privateKey };
    if (host.sshAddress !== undefined && host.sshPort !== undefined) return { ...base, host: host.sshAddress, port: host.sshPort };
    const bastion = this.bastion;
    if (!bastion) throw new Error(`host ${host.name} publishes no SSH port and fleet ${this.name} has no bastion`);
    return { ...base, host: host.privateAddress, port: 22, via: this.sshTarget(bastion) };
  }

  ssh(ref: HostRef, timeoutMs?: number): Promise<SshConnection> {
    return sshConnect(this.sshTarget(ref), timeoutMs);
  }

  sshRun(ref: HostRef, command: string, timeoutMs?: number): Promise<ExecResult> {
    return sshRun(this.sshTarget(ref), command, timeoutMs);
  }

  /** Runs a command as root through `docker exec` (for assertions; not SSH). */
  async exec(ref: HostRef, command: string | string[]): Promise<ExecResult> {
    const argv = typeof command === 'string' ? ['bash', '-c', command] : command;
    return dockerRaw(['exec', this.host(ref).containerId, ...argv]);
  }

  /** Runs a bash script as root through `docker exec` and returns its stdout; throws with the host,
   * the script's start and its output when it exits non-zero. */
  async script(ref: HostRef, script: string): Promise<string> {
    const r = await this.exec(ref, ['bash', '-c', script]);
    if (r.exitCode !== 0) throw new Error(`${this.host(ref).name}: ${script.slice(0, 200)}: exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  async waitReady(ref: HostRef, timeoutMs = 60_000): Promise<void> {
    await waitForSshLogin(this.sshTarget(ref), timeoutMs, `host ${this.host(ref).name} of fleet ${this.name}`);
  }

  // ---- faults -------------------------------------------------------------

  /** Clean shutdown (systemd halts); the container and its disk stay. */
  async stop(ref: HostRef): Promise<void> {
    await docker(['stop', '--time', '20', this.host(ref).containerId]);
  }

  /** Boots a stopped or killed host again and waits until it accepts SSH. */
  async start(ref: HostRef, timeoutMs?: number): Promise<void> {
    await docker(['start', this.host(ref).containerId]);
    await this.waitReady(ref, timeoutMs);
  }

  /** Power cut: SIGKILL to the whole container. */
  async kill(ref: HostRef): Promise<void> {
    await docker(['kill', this.host(ref).containerId]);
  }

  /** Freezes every process of the host (TCP connects succeed in the kernel, nothing answers). */
  async pause(ref: HostRef): Promise<void> {
    await docker(['pause', this.host(ref).containerId]);
  }

  async unpause(ref: HostRef): Promise<void> {
    await docker(['unpause', this.host(ref).containerId]);
  }

  /**
   * Cuts the host off the network.
   * - 'drop' (default): every packet to or from the host is dropped, as in a
   *   network partition: connections time out, from peers and from the test
   *   machine alike; address and published port stay. Done with iptables in
   *   the host's network namespace from a throw-away helper container that has
   *   NET_ADMIN (the host itself has not, so nothing inside can undo it).
   *   A restart of the host heals it.
   * - 'unplug': `docker network disconnect`: the interface is gone; peers get
   *   "no route to host" after the ARP timeout and the published port refuses.
   */
  async disconnect(ref: HostRef, mode: DisconnectMode = 'drop'): Promise<void> {
    const host = this.host(ref);
    if (mode === 'unplug') {
      await docker(['network', 'disconnect', this.state.network.name, host.containerId]);
      return;
    }
    await this.netAdmin(host, 'iptables -I INPUT ! -i lo -j DROP && iptables -I OUTPUT ! -o lo -j DROP');
  }

  /** Undoes either kind of disconnect. */
  async reconnect(ref: HostRef): Promise<void> {
    const host = this.host(ref);
    const info = await inspect(host.containerId);
    const networks = (info?.NetworkSettings?.Networks ?? {}) as Record<string, unknown>;
    if (!(this.state.network.name in networks)) {
      await docker(['network', 'connect', '--ip', host.privateAddress, '--alias', host.hostname, this.state.network.name, host.containerId]);
      return;
    }
    await this.netAdmin(host, 'while iptables -D INPUT ! -i lo -j DROP 2>/dev/null; do :; done; while iptables -D OUTPUT ! -o lo -j DROP 2>/dev/null; do :; done');
  }

  private async netAdmin(host: FleetHost, script: string): Promise<void> {
    await docker(['run', '--rm', '--network', `container:${host.containerId}`, '--cap-add', 'NET_ADMIN',
      '--label', `${LABEL_FLEET}=${this.name}`, '--label', `${LABEL_PERSISTENT}=${this.state.persistent}`,
      '--label', `${LABEL_OWNER_PID}=${process.pid}`, '--entrypoint', 'bash', this.state.image, '-c', script]);
  }

  /**
   * Throws the host's container away and starts a fresh one (new disk, new SSH
   * host keys, new machine-id) with the same name, hostname and SSH port; on
   * the same address or, with `sameAddress: false`, a new one of its range.
   * kubeone.yaml and fleet.json are rewritten.
   */
  async replace(ref: HostRef, options: { sameAddress?: boolean; timeoutMs?: number } = {}): Promise<FleetHost> {
    const old = this.host(ref);
    await docker(['rm', '-f', '-v', old.containerId]);
    const used = new Set(this.state.hosts.map((h) => h.privateAddress));
    const address = options.sameAddress === false ? unusedAddress(this.state.network, old.role, used) : old.privateAddress;
    const { id, sshHostPort } = await startHostContainer({
      image: this.state.image,
      containerName: old.containerName,
      hostname: old.hostname,
      networkName: this.state.network.name,
      address,
      sshHostPort: old.sshPort,
      authorizedKey: `${await readFile(this.state.publicKeyPath, 'utf8')}`,
      labels: this.labels(old.name),
    });
    const fresh: FleetHost = { ...old, containerId: id, privateAddress: address, sshPort: sshHostPort };
    this.state.hosts = this.state.hosts.map((h) => (h.name === old.name ? fresh : h));
    await this.save();
    await this.waitReady(fresh, options.timeoutMs);
    return { ...fresh };
  }

  labels(hostName?: string): Record<string, string> {
    return {
      [LABEL_FLEET]: this.name,
      [LABEL_PERSISTENT]: String(this.state.persistent),
      [LABEL_OWNER_PID]: String(process.pid),
      ...(hostName ? { [LABEL_HOST]: hostName } : {}),
    };
  }

  /** Writes fleet.json and kubeone.yaml. */
  async save(): Promise<void> {
    await writeFile(path.join(this.state.dir, FLEET_STATE_FILE), `${JSON.stringify(this.state, null, 2)}\n`);
    await writeFile(this.state.manifestPath, renderManifest(this.state));
  }

  /** Removes every container (replacements, helpers) and the network; then the files. */
  async destroy(): Promise<void> {
    const ids = new Set([...this.state.hosts.map((h) => h.containerId).filter(Boolean), ...(await listByLabels('container', { [LABEL_FLEET]: this.name }))]);
    if (ids.size > 0) await dockerRaw(['rm', '-f', '-v', ...ids]);
    await removeNetwork(this.state.network.id || this.state.network.name);
    if (this.state.ownsDir) {
      await rm(this.state.dir, { recursive: true, force: true });
    } else {
      const files = [FLEET_STATE_FILE, path.basename(this.state.manifestPath), path.basename(this.state.keyPath), path.basename(this.state.publicKeyPath)];
      await Promise.all(files.map((f) => rm(path.join(this.state.dir, f), { force: true })));
    }
    this.onDestroyed?.();
  }
}
