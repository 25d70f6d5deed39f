// startFleet: from options to running hosts that accept SSH logins, with
// kubeone.yaml, the key pair and fleet.json written to the fleet dir.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { access, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { Fleet, FLEET_STATE_FILE } from './fleet.js';
import { freeLocalPort, startHostContainer } from './host-container.js';
import { createFleetNetwork, plannedAddress } from './network.js';
import { ensureHostImage } from './setup.js';
import { writeFleetKeyPair } from './ssh.js';
import { sweepAbandonedFleets } from './sweep.js';
import {
  DEFAULT_IMAGE,
  DEFAULT_KUBERNETES_VERSION,
  LABEL_FLEET,
  LABEL_OWNER_PID,
  LABEL_PERSISTENT,
  LOGIN_USER,
  type FleetHost,
  type FleetOptions,
  type FleetState,
  type HostRole,
} from './types.js';

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

function validate(options: FleetOptions): void {
  const count = (field: 'controlPlanes' | 'workers', min: number) => {
    const value = options[field];
    if (!Number.isInteger(value) || value < min || value > 20) throw new Error(`startFleet: ${field} must be an integer in ${min}..20, got ${value}`);
  };
  count('controlPlanes', 1);
  count('workers', 0);
  if (options.name !== undefined && !NAME_PATTERN.test(options.name)) {
    throw new Error(`startFleet: name '${options.name}' must be lower-case letters, digits and '-', at most 40 characters`);
  }
}

interface PlannedHost {
  name: string;
  role: HostRole;
  index: number;
}

function planHosts(options: FleetOptions): PlannedHost[] {
  const hosts: PlannedHost[] = [];
  if (options.bastion) hosts.push({ name: 'bastion', role: 'bastion', index: 0 });
  for (let i = 1; i <= options.controlPlanes; i++) hosts.push({ name: `cp-${i}`, role: 'control-plane', index: i });
  for (let i = 1; i <= options.workers; i++) hosts.push({ name: `worker-${i}`, role: 'worker', index: i });
  return hosts;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeLocalPort());
  return [...ports];
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/**
 * Test fleets not destroyed when the process exits (a forgotten after hook,
 * Ctrl-C in mocha) are removed synchronously in the 'exit' handler; a killed
 * process leaves them to the next run's sweep.
 */
const liveTestFleets = new Map<string, Fleet>();
process.once('exit', () => {
  for (const [name, fleet] of liveTestFleets) {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${LABEL_FLEET}=${name}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
    execFileSync('docker', ['network', 'rm', `kubeone-${name}`], { stdio: 'ignore' });
    if (fleet.snapshot.ownsDir) rmSync(fleet.dir, { recursive: true, force: true });
  }
});

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  validate(options);
  const name = options.name ?? `fleet-${randomBytes(3).toString('hex')}`;
  const image = options.image ?? DEFAULT_IMAGE;
  const persistent = options.persistent ?? false;
  if (image === DEFAULT_IMAGE) await ensureHostImage();
  await sweepAbandonedFleets();

  const ownsDir = options.dir === undefined;
  const dir = ownsDir ? await mkdtemp(path.join(os.tmpdir(), `kubeone-${name}-`)) : path.resolve(options.dir!);
  await mkdir(dir, { recursive: true });
  if (await exists(path.join(dir, FLEET_STATE_FILE))) {
    throw new Error(`a fleet is already recorded in ${path.join(dir, FLEET_STATE_FILE)}: tear it down first (npm run sandbox -- down --dir ${dir})`);
  }

  const keys = await writeFleetKeyPair(dir, `kubeone-fleet-${name}`);
  const labels = { [LABEL_FLEET]: name, [LABEL_PERSISTENT]: String(persistent), [LABEL_OWNER_PID]: String(process.pid) };
  const network = await createFleetNetwork(`kubeone-${name}`, name, labels);

  const planned = planHosts(options);
  const published = planned.filter((h) => !options.bastion || h.role === 'bastion');
  const ports = await distinctFreePorts(published.length);
  const hosts: FleetHost[] = planned.map((p) => {
    const port = published.includes(p) ? ports[published.indexOf(p)] : undefined;
    return {
      name: p.name,
      role: p.role,
      hostname: p.name,
      sshAddress: port === undefined ? undefined : '127.0.0.1',
      sshPort: port,
      privateAddress: plannedAddress(network, p.role, p.index),
      user: LOGIN_USER,
      keyPath: keys.keyPath,
      containerName: `kubeone-${name}-${p.name}`,
      containerId: '',
    };
  });
  const state: FleetState = {
    version: 1,
    name,
    dir,
    ownsDir,
    persistent,
    image,
    kubernetesVersion: options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    keyPath: keys.keyPath,
    publicKeyPath: keys.publicKeyPath,
    manifestPath: path.join(dir, 'kubeone.yaml'),
    network,
    hosts,
    createdAt: new Date().toISOString(),
  };
  const fleet = await Fleet.fromState(state, () => liveTestFleets.delete(name));
  if (!persistent) liveTestFleets.set(name, fleet);
  // Recorded before any container exists, so that a crash half-way can be torn down.
  await fleet.save();

  try {
    await Promise.all(
      hosts.map(async (host) => {
        const started = await startHostContainer({
          image,
          containerName: host.containerName,
          hostname: host.hostname,
          networkName: network.name,
          address: host.privateAddress,
          sshHostPort: host.sshPort,
          authorizedKey: keys.publicKey,
          labels: fleet.labels(host.name),
        });
        host.containerId = started.id;
        host.sshPort = started.sshHostPort;
      }),
    );
    await fleet.save();
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    await Promise.all(hosts.map((h) => fleet.waitReady(h.name, timeoutMs)));
    return fleet;
  } catch (error) {
    await fleet.destroy().catch(() => undefined);
    throw error;
  }
}
