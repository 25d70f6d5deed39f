// Removes what crashed runs left behind. Test fleets carry the pid of the process
// that made them; when that process is gone (and the fleet is not a persistent
// sandbox), its containers and network are garbage. Fleets of live processes,
// other helpers' included, are left alone.
import { docker, dockerRaw } from './docker.js';
import { LABEL_FLEET, LABEL_OWNER_PID, LABEL_PERSISTENT } from './types.js';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ids and owner pids of the ephemeral fleets' containers or networks, read in one listing:
 * e2e files run in parallel, so an object listed first and inspected afterwards may be gone.
 */
async function ownedObjects(kind: 'container' | 'network'): Promise<Map<string, number>> {
  const filters = ['--filter', `label=${LABEL_FLEET}`, '--filter', `label=${LABEL_PERSISTENT}=false`];
  const format = `{{.ID}} {{.Label "${LABEL_OWNER_PID}"}}`;
  const out = await docker(kind === 'container' ? ['ps', '-a', '--no-trunc', ...filters, '--format', format] : ['network', 'ls', '--no-trunc', ...filters, '--format', format]);
  const pids = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [id, pid] = line.trim().split(' ');
    if (id && pid && /^\d+$/.test(pid)) pids.set(id, Number(pid));
  }
  return pids;
}

/** Returns how many containers and networks were removed. */
export async function sweepAbandonedFleets(): Promise<{ containers: number; networks: number }> {
  const deadContainers = [...(await ownedObjects('container'))].filter(([, pid]) => !processIsAlive(pid)).map(([id]) => id);
  // Removed one by one, and a container or network already gone (another file's teardown) is no error.
  for (const id of deadContainers) await dockerRaw(['rm', '-f', '-v', id]);
  const deadNetworks = [...(await ownedObjects('network'))].filter(([, pid]) => !processIsAlive(pid)).map(([id]) => id);
  for (const id of deadNetworks) await dockerRaw(['network', 'rm', id]);
  return { containers: deadContainers.length, networks: deadNetworks.length };
}
