// The fleet's own Docker network. It has a fixed /24 subnet (chosen once, kept
// in fleet.json) so that every host gets a static address that survives
// restarts and can be handed to a replacement container.
import { createHash } from 'node:crypto';

import { docker, DockerError } from './docker.js';
import type { FleetNetwork, HostRole } from './types.js';

/** Fleets take /24s out of 10.222.0.0/16, starting at a slot derived from the name. */
const SUBNET_PREFIX = '10.222';
const SUBNET_SLOTS = 250;

function startSlot(fleetName: string): number {
  return createHash('sha256').update(fleetName).digest().readUInt16BE(0) % SUBNET_SLOTS;
}

/**
 * Creates the network on the first free /24. Docker refuses overlapping pools,
 * which also settles races with fleets created at the same time.
 */
export async function createFleetNetwork(networkName: string, fleetName: string, labels: Record<string, string>): Promise<FleetNetwork> {
  const labelArgs = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const first = startSlot(fleetName);
  for (let i = 0; i < SUBNET_SLOTS; i++) {
    const slot = (first + i) % SUBNET_SLOTS;
    const subnet = `${SUBNET_PREFIX}.${slot}.0/24`;
    const gateway = `${SUBNET_PREFIX}.${slot}.1`;
    try {
      const id = await docker(['network', 'create', '--driver', 'bridge', '--subnet', subnet, '--gateway', gateway, ...labelArgs, networkName]);
      return { name: networkName, id, subnet, gateway };
    } catch (error) {
      if (error instanceof DockerError && /overlap/i.test(error.message)) continue;
      throw error;
    }
  }
  throw new Error(`no free /24 left in ${SUBNET_PREFIX}.0.0/16 for network ${networkName}`);
}

export async function removeNetwork(nameOrId: string): Promise<void> {
  try {
    await docker(['network', 'rm', nameOrId]);
  } catch (error) {
    if (error instanceof DockerError && /not found|no such network/i.test(error.message)) return;
    throw error;
  }
}

/**
 * Address plan inside the /24: bastion .5, control planes .11-.99, workers
 * .101-.249. Readable at a glance in logs ("10.222.7.12 is cp-2").
 */
export function plannedAddress(network: FleetNetwork, role: HostRole, index: number): string {
  const base = network.subnet.replace(/\.0\/24$/, '');
  const lastOctet = role === 'bastion' ? 5 : role === 'control-plane' ? 10 + index : 100 + index;
  const limit = role === 'control-plane' ? 99 : 249;
  if (lastOctet > limit) throw new Error(`too many ${role} hosts for one fleet network (${index})`);
  return `${base}.${lastOctet}`;
}

/** A fresh address of the role's range that no host uses: for replacements. */
export function unusedAddress(network: FleetNetwork, role: HostRole, used: Set<string>): string {
  for (let index = 1; ; index++) {
    const address = plannedAddress(network, role === 'bastion' ? 'worker' : role, index);
    if (!used.has(address)) return address;
  }
}
