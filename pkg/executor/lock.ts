// The cluster lock: /var/lib/kubeone/lock.json on the leader, created with O_EXCL (bash
// noclobber) so two operators can never both hold it. A heartbeat renews it; a lock older
// than its lease whose owner process is gone (same machine) is reported as stale. It is
// never broken automatically: `kubeone unlock --force LOCK_ID` removes it.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { HostTransport } from '../ssh/types.js';
import { shq } from '../scripts/shell.js';

export const LOCK_PATH = '/var/lib/kubeone/lock.json';

export interface LockInfo {
  id: string;
  /** user@machine */
  owner: string;
  pid: number;
  startedAt: string;
  command: string;
  leaseSeconds: number;
  renewedAt?: string;
  /** Set (locally, not written) when this lock replaced one whose owner process had died here. */
  takenOverFrom?: string;
}

export class LockHeldError extends Error {
  constructor(readonly host: string, readonly holder: LockInfo | null, readonly stale: boolean) {
    super(
      holder
        ? `cluster is locked on ${host} by ${holder.owner} (pid ${holder.pid}, "${holder.command}", since ${holder.startedAt}, lock id ${holder.id})` +
            (stale
              ? `; the lock looks stale (lease expired, owner gone): remove it with \`kubeone unlock --force ${holder.id}\``
              : '; wait for it to finish')
        : `cluster is being locked on ${host} by another run (lock file still empty)`,
    );
    this.name = 'LockHeldError';
  }
}

export function newLockInfo(command: string, leaseSeconds = 120, now = new Date()): LockInfo {
  return {
    id: randomUUID(),
    owner: `${userInfo().username}@${hostname()}`,
    pid: process.pid,
    startedAt: now.toISOString(),
    command,
    leaseSeconds,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stale: lease expired and the owner is this machine with the pid gone, or another machine (cannot check). */
export function isStale(lock: LockInfo, now: Date, thisMachine = hostname()): boolean {
  const last = Date.parse(lock.renewedAt ?? lock.startedAt);
  if (Number.isNaN(last) || now.getTime() - last <= lock.leaseSeconds * 1000) return false;
  const machine = lock.owner.split('@').pop();
  return machine !== thisMachine || !processAlive(lock.pid);
}

/**
 * The holder ran as the same user on this machine and its process is gone (killed, crashed):
 * nobody can be using the lock, so a new run may take it over without waiting for the lease.
 */
function ownerIsDeadHere(lock: LockInfo, me: LockInfo): boolean {
  return lock.owner === me.owner && lock.pid !== me.pid && !processAlive(lock.pid);
}

/** Replaces the dead holder's lock with ours, guarded by an atomic mkdir against a racing run. */
async function takeOver(transport: HostTransport, dead: LockInfo, info: LockInfo): Promise<boolean> {
  const guard = `${LOCK_PATH}.takeover`;
  const script = [
    `mkdir ${guard} 2>/dev/null || exit 0`,
    `trap 'rmdir ${guard}' EXIT`,
    // The id was read from the host: quoted, and matched as a fixed string.
    `grep -qF ${shq(`"id":"${dead.id}"`)} ${LOCK_PATH} || exit 0`,
    `cat > ${LOCK_PATH}.tmp && mv -f ${LOCK_PATH}.tmp ${LOCK_PATH} && echo TAKEN`,
  ].join('; ');
  const res = await transport.exec(`sudo bash -c ${shq(script)}`, { stdin: JSON.stringify(info) });
  return res.stdout.includes('TAKEN');
}

export async function readLock(transport: HostTransport): Promise<LockInfo | null | 'empty'> {
  const res = await transport.exec(`sudo cat ${LOCK_PATH} 2>/dev/null || true`);
  const text = res.stdout.trim();
  if (!text) {
    const exists = await transport.exec(`sudo test -e ${LOCK_PATH}`);
    return exists.code === 0 ? 'empty' : null;
  }
  try {
    return JSON.parse(text) as LockInfo;
  } catch {
    return 'empty';
  }
}

export interface HeldLock {
  info: LockInfo;
  host: string;
  release(): Promise<void>;
}

/** Takes the lock or throws LockHeldError naming the holder. Starts the heartbeat. */
export async function acquireLock(transport: HostTransport, info: LockInfo, now: () => Date = () => new Date()): Promise<HeldLock> {
  const json = JSON.stringify(info);
  const res = await transport.exec(
    `sudo mkdir -p /var/lib/kubeone && sudo bash -c ${shq(`set -o noclobber; cat > ${LOCK_PATH}`)} 2>/dev/null && echo ACQUIRED || echo HELD`,
    { stdin: json },
  );
  if (!res.stdout.includes('ACQUIRED')) {
    const holder = await readLock(transport);
    const lock = holder === 'empty' ? null : holder;
    if (!lock || !ownerIsDeadHere(lock, info) || !(await takeOver(transport, lock, info))) {
      throw new LockHeldError(transport.host, lock, lock ? isStale(lock, now()) : false);
    }
    info.takenOverFrom = lock.id;
  }
  const interval = setInterval(() => {
    void renewLock(transport, info, now()).catch(() => undefined);
  }, Math.max(1000, (info.leaseSeconds * 1000) / 3));
  interval.unref();
  return {
    info,
    host: transport.host,
    release: async () => {
      clearInterval(interval);
      await removeLock(transport, info.id);
    },
  };
}

/** Rewrites the lock with a fresh renewedAt, only while it is still ours. */
export async function renewLock(transport: HostTransport, info: LockInfo, now: Date): Promise<void> {
  const renewed = JSON.stringify({ ...info, renewedAt: now.toISOString() });
  await transport.exec(
    `sudo bash -c ${shq(`grep -q '"id":"${info.id}"' ${LOCK_PATH} && cat > ${LOCK_PATH}.tmp && mv -f ${LOCK_PATH}.tmp ${LOCK_PATH}`)}`,
    { stdin: renewed },
  );
}

/** Removes the lock if its id is `id`; returns false when another (or no) lock is there. */
export async function removeLock(transport: HostTransport, id: string): Promise<boolean> {
  if (!/^[0-9a-zA-Z-]+$/.test(id)) throw new Error(`invalid lock id "${id}"`);
  const res = await transport.exec(
    `if sudo grep -q ${shq(`"id":"${id}"`)} ${LOCK_PATH} 2>/dev/null; then sudo rm -f ${LOCK_PATH}; echo REMOVED; fi`,
  );
  return res.stdout.includes('REMOVED');
}
