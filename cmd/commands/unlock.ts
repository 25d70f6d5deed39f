// kubeone unlock [--force LOCK_ID]: shows the cluster lock; with --force and the lock's id,
// removes it (for a run that died and left its lock behind).
import { isStale, readLock, removeLock } from '../../pkg/executor/lock.js';
import { SshError } from '../../pkg/ssh/types.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

interface UnlockArgs extends HostCommandArgs {
  force?: string;
}

export const unlockCommand: CommandFactory = (ctx) => ({
  command: 'unlock',
  describe: 'Show the cluster lock, or remove it with --force LOCK_ID',
  builder: (y) => withHostOptions(y).option('force', { type: 'string', describe: 'id of the lock to remove' }),
  handler: hostHandler<UnlockArgs>(ctx, async (args) => {
    const c = collaboratorsFor(ctx, args);
      const loaded = await c.loadCluster(args.manifest);
      const pool = c.createPool(loaded);
      try {
        let found = false;
        const unreachable: { host: string; error: unknown }[] = [];
        const controlPlanes = loaded.hosts.filter((h) => h.role === 'controlPlane');
        for (const host of controlPlanes) {
          const t = await pool.get(host).catch((error: unknown) => {
            unreachable.push({ host: host.name, error });
            return null;
          });
          if (!t) continue;
          const lock = await readLock(t);
          if (!lock) continue;
          found = true;
          if (lock === 'empty') {
            ctx.io.stdout.write(`${host.name}: lock file is empty (a run is taking it, or died while taking it)\n`);
            continue;
          }
          const stale = isStale(lock, new Date());
          ctx.io.stdout.write(
            `${host.name}: locked by ${lock.owner} (pid ${lock.pid}), "${lock.command}" since ${lock.startedAt}, id ${lock.id}${stale ? ' [stale]' : ''}\n`,
          );
          if (args.force) {
            if (args.force !== lock.id) throw new Error(`--force ${args.force} does not match the lock id ${lock.id}`);
            if (!(await removeLock(t, lock.id))) throw new Error(`${host.name}: the lock changed while removing it`);
            ctx.io.stdout.write(`${host.name}: lock ${lock.id} removed\n`);
          }
        }
        // "Not locked" is only true of the hosts we could read: never say it of hosts we could not reach.
        if (unreachable.length === controlPlanes.length && unreachable[0]) throw unreachable[0].error;
        for (const u of unreachable) {
          const detail = u.error instanceof SshError ? u.error.detail : u.error instanceof Error ? u.error.message : String(u.error);
          ctx.io.stderr.write(`${u.host}: not checked: ${detail}\n`);
        }
        if (!found) ctx.io.stdout.write(unreachable.length ? `no lock on the control planes that answered (${unreachable.length} did not)\n` : 'the cluster is not locked\n');
        else if (!args.force) ctx.io.stdout.write('to remove it: kubeone unlock --force LOCK_ID\n');
      } finally {
        await pool.closeAll();
      }
  }),
});
