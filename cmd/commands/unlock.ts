// kubeone unlock [--force LOCK_ID]: shows the cluster lock; with --force and the lock's id,
// removes it (for a run that died and left its lock behind).
import type { CommandModule } from 'yargs';
import { isStale, readLock, removeLock } from '../../pkg/executor/lock.js';
import { realCollaborators } from './executor-wiring.js';
import { type HostCommandArgs, manifestPath, reportFailure, withHostOptions } from './executor-options.js';

interface UnlockArgs extends HostCommandArgs {
  force?: string;
}

export const unlockCommand: CommandModule<object, UnlockArgs> = {
  command: 'unlock',
  describe: 'Show the cluster lock, or remove it with --force LOCK_ID',
  builder: (y) => withHostOptions(y).option('force', { type: 'string', describe: 'id of the lock to remove' }) as never,
  handler: async (args) => {
    try {
      const c = await realCollaborators();
      const loaded = await c.loadCluster(manifestPath(args), args.credentials);
      const pool = c.createPool(loaded);
      try {
        let found = false;
        for (const host of loaded.hosts.filter((h) => h.role === 'controlPlane')) {
          const t = await pool.get(host).catch(() => null);
          if (!t) continue;
          const lock = await readLock(t);
          if (!lock) continue;
          found = true;
          if (lock === 'empty') {
            process.stdout.write(`${host.name}: lock file is empty (a run is taking it, or died while taking it)\n`);
            continue;
          }
          const stale = isStale(lock, new Date());
          process.stdout.write(
            `${host.name}: locked by ${lock.owner} (pid ${lock.pid}), "${lock.command}" since ${lock.startedAt}, id ${lock.id}${stale ? ' [stale]' : ''}\n`,
          );
          if (args.force) {
            if (args.force !== lock.id) throw new Error(`--force ${args.force} does not match the lock id ${lock.id}`);
            if (!(await removeLock(t, lock.id))) throw new Error(`${host.name}: the lock changed while removing it`);
            process.stdout.write(`${host.name}: lock ${lock.id} removed\n`);
          }
        }
        if (!found) process.stdout.write('the cluster is not locked\n');
        else if (!args.force) process.stdout.write('to remove it: kubeone unlock --force LOCK_ID\n');
      } finally {
        await pool.closeAll();
      }
    } catch (error) {
      reportFailure(error, args['log-format'] === 'json');
    }
  },
};

export default unlockCommand;
