// Removes what crashed runs left behind. Test fleets carry the pid of the process
// that made them; when that process is gone (and the fleet is not a persistent
// sandbox), its containers and network are garbage. Fleets of live processes,
// other helpers' included, are left alone.
import { docker, dockerRaw, listByLabels } from './docker.js';
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

async function ownerPids(kind: 'container' | 'network', ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const format = `{{.Id}} {{index .${kind === 'container' ? 'Config.Labels' : 'Labels'} "${LABEL_OWNER_PID}"}}`;
  const out = await docker([kind === 'container' ? 'container' : 'network', 'inspect', '--format', format, ...ids]);
  const pids = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [id, pid] = line.trim().split(' ');
    if (id && pid && /^\d+$/.test(pid)) pids.set(id, Number(pid));
  }
  return pids;
}

/** Returns how many containers and networks were removed. */
export async function sweepAbandonedFleets(): Promise<{ containers: number; networks: number }> {
  const ephemeral = { [LABEL_FLEET]: '', [LABEL_PERSISTENT]: 'false' };
  const deadContainers = [...(await ownerPids('container', await listByLabels('container', ephemeral)))]
    .filter(([, pid]) => !processIsAlive(pid))
    .map(([id]) => id);
  if (deadContainers.length > 0) await dockerRaw(['rm', '-f', '-v', ...deadContainers]);
  const deadNetworks = [...(await ownerPids('network', await listByLabels('network', ephemeral)))]
    .filter(([, pid]) => !processIsAlive(pid))
    .map(([id]) => id);
  for (const id of deadNetworks) await dockerRaw(['network', 'rm', id]);
  return { containers: deadContainers.length, networks: deadNetworks.length };
}
