// kubeone etcd members [-o table|json] | disarm [member] [--all] | defragment <member> | snapshot <file|->
// KubeOne's etcd commands, through etcd's JSON gateway on a control plane, reached over its SSH
// connection with the etcd client certificate read from it (kept in memory only). Only the
// snapshot is written locally (mode 0600).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { connectEtcd } from '../../pkg/etcd/connect.js';
import { EtcdError, type EtcdGateway } from '../../pkg/etcd/gateway.js';
import { formatEtcdMembers, type EtcdMemberRow, membersWithAlarms } from '../../pkg/views/etcd-members.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import type { CommandFactory, CliContext } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

const EXIT_CODES = 'Exit codes: 0 done; 1 bad arguments (nothing is contacted); 11 etcd error (no control plane gave access to etcd, member not found, a request failed); 15 configuration error.';

const usage = (message: string): KubeOneError => new KubeOneError(message, ExitCode.default);

/** Connects through a control plane, runs `fn`, closes everything. */
async function withEtcd<T>(ctx: CliContext, args: HostCommandArgs, fn: (etcd: EtcdGateway) => Promise<T>): Promise<T> {
  const c = collaboratorsFor(ctx, args);
  const loaded = await c.loadCluster(args.manifest);
  const pool = c.createPool(loaded);
  try {
    const { gateway } = await connectEtcd(loaded, pool);
    try {
      return await fn(gateway);
    } finally {
      gateway.close();
    }
  } finally {
    await pool.closeAll();
  }
}

async function memberNamed(etcd: EtcdGateway, name: string, what: string) {
  const member = (await etcd.memberList()).find((m) => m.name === name);
  if (!member) throw new EtcdError(`${what}: etcd member "${name}" not found`);
  return member;
}

interface MembersArgs extends HostCommandArgs {
  output: 'table' | 'json';
}
interface DisarmArgs extends HostCommandArgs {
  member?: string[];
  all: boolean;
}
interface NamesArgs extends HostCommandArgs {
  args?: string[];
}
interface SnapshotArgs extends HostCommandArgs {
  file?: string | number | boolean;
}

/** The snapshot's destination, checked before anything connects: a file we may create, not a directory. */
export function checkSnapshotTarget(file: string): void {
  if (file === '-') return;
  let target: import('node:fs').Stats | undefined;
  try {
    target = statSync(file);
  } catch {
    // does not exist yet: fine, if its directory does
  }
  if (target?.isDirectory()) throw usage(`snapshot file ${file} is a directory`);
  const dir = path.dirname(path.resolve(file));
  let parent: import('node:fs').Stats;
  try {
    parent = statSync(dir);
  } catch {
    throw usage(`cannot write the snapshot to ${file}: directory ${dir} does not exist`);
  }
  if (!parent.isDirectory()) throw usage(`cannot write the snapshot to ${file}: ${dir} is not a directory`);
}

export const etcdCommand: CommandFactory = (ctx) => {
  const members: CommandModule<GlobalArgs, MembersArgs> = {
    command: 'members',
    describe: 'List the etcd members (ID, NAME, PEER-URLS, CLIENT-URLS, IS-LEARNER, ALARMS)',
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<MembersArgs>)
        .option('output', { alias: 'o', choices: ['table', 'json'] as const, default: 'table' as const, describe: 'output format (table|json)' })
        .epilog(EXIT_CODES),
    handler: hostHandler<MembersArgs>(ctx, async (args) => {
      const rows: EtcdMemberRow[] = await withEtcd(ctx, args, async (etcd) => membersWithAlarms(await etcd.memberList(), await etcd.alarmList()));
      ctx.io.stdout.write(formatEtcdMembers(rows, args.output));
    }),
  };

  const disarm: CommandModule<GlobalArgs, DisarmArgs> = {
    command: 'disarm [member..]',
    describe: 'Disarm the alarms (e.g. NOSPACE) of one etcd member, by name, or of all members with --all',
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<DisarmArgs>)
        .positional('member', { type: 'string', array: true, describe: 'the member name (as `etcd members` shows it)' })
        .option('all', { type: 'boolean', default: false, describe: 'disarm alarms on all etcd members' })
        .epilog(EXIT_CODES),
    handler: hostHandler<DisarmArgs>(ctx, async (args) => {
      const names = args.member ?? [];
      // KubeOne's argument rules and messages.
      if (!args.all && names.length === 0) throw usage('requires a member name argument or --all flag');
      if (args.all && names.length > 0) throw usage('--all and a member name are mutually exclusive');
      if (names.length > 1) throw usage(`accepts at most one member name, got ${names.length}`);
      const log = ctx.logger(args);
      await withEtcd(ctx, args, async (etcd) => {
        if (args.all) {
          const alarms = await etcd.alarmList();
          for (const alarm of alarms) await etcd.alarmDisarm(alarm);
          log.info(`Disarmed all alarms on all members (${alarms.length} alarm(s))`);
          return;
        }
        const member = await memberNamed(etcd, names[0]!, 'disarming alarms');
        const alarms = (await etcd.alarmList()).filter((a) => a.memberId === member.id);
        for (const alarm of alarms) await etcd.alarmDisarm(alarm);
        log.info(`Disarmed ${alarms.length} alarm(s) on member "${member.name}".`);
      });
    }),
  };

  const defragment: CommandModule<GlobalArgs, NamesArgs> = {
    command: 'defragment [args..]',
    describe: 'Defragment the storage of one etcd member (by name), through each of its client URLs',
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<NamesArgs>)
        .positional('args', { type: 'string', array: true, describe: '<member-name>' })
        .usage('kubeone etcd defragment <member-name>')
        .epilog(EXIT_CODES),
    handler: hostHandler<NamesArgs>(ctx, async (args) => {
      const names = args.args ?? [];
      if (names.length !== 1) throw usage(`accepts 1 arg(s), received ${names.length}`);
      const log = ctx.logger(args);
      await withEtcd(ctx, args, async (etcd) => {
        const member = await memberNamed(etcd, names[0]!, 'searching member endpoints');
        if (member.clientURLs.length === 0) throw new EtcdError(`etcd member "${member.name}" has no client URLs (a learner not started yet?)`);
        for (const url of member.clientURLs) {
          await etcd.defragment(url);
          log.info(`Defragmented member "${member.name}" endpoint "${url}".`);
        }
      });
    }),
  };

  const snapshot: CommandModule<GlobalArgs, SnapshotArgs> = {
    command: 'snapshot [file]',
    describe: 'Save a point-in-time snapshot of etcd to a local file (mode 0600), or to stdout with -',
    builder: (y) =>
      // Untyped on purpose: yargs parses a lone "-" as `true` for an untyped positional (and
      // drops it for a typed one); `true` is read back as "-" below.
      (withHostOptions(y) as unknown as Argv<SnapshotArgs>)
        .positional('file', { describe: '<file> or - (stdout)' })
        .usage('kubeone etcd snapshot <file|->')
        .epilog(`The snapshot holds every object of the cluster, Secrets included: keep it as safe as the CA keys. Restore with etcdutl/etcdctl snapshot restore. ${EXIT_CODES} 10: the file could not be written.`) as unknown as Argv<SnapshotArgs>,
    handler: hostHandler<SnapshotArgs>(ctx, async (args) => {
      const file = args.file === true ? '-' : typeof args.file === 'string' || typeof args.file === 'number' ? String(args.file) : '';
      if (file === '') throw usage('accepts 1 arg(s), received 0');
      checkSnapshotTarget(file);
      const log = ctx.logger(args);
      await withEtcd(ctx, args, async (etcd) => {
        const version = await etcd.version();
        let bytes: number;
        if (file === '-') {
          const out = ctx.rawStdout;
          bytes = await etcd.snapshot((chunk) => new Promise((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve()))));
        } else {
          bytes = await saveSnapshot(file, (write) => etcd.snapshot(write));
        }
        log.info(`Snapshot saved to "${file}" (${bytes} bytes, etcd version: ${version || 'unknown'}).`);
      });
    }),
  };

  return {
    command: 'etcd',
    describe: 'etcd operations: members, disarm, defragment, snapshot',
    builder: (y) => y.command(members).command(disarm).command(defragment).command(snapshot).demandCommand(1, 'an etcd command is required: members, disarm, defragment or snapshot'),
    handler: () => undefined,
  };
};

/**
 * Writes the snapshot to a 0600 temporary file beside `file`, then renames it into place:
 * an interrupted transfer never leaves a truncated snapshot under the name asked for.
 */
async function saveSnapshot(file: string, stream: (write: (chunk: Buffer) => Promise<void>) => Promise<number>): Promise<number> {
  const part = `${file}.part-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(part, 'wx', 0o600);
  } catch (error) {
    throw new KubeOneError(`creating snapshot file ${file}: ${(error as Error).message}`, ExitCode.runtime);
  }
  try {
    const bytes = await stream(async (chunk) => {
      writeSync(fd, chunk);
    });
    fsyncSync(fd);
    closeSync(fd);
    chmodSync(part, 0o600);
    renameSync(part, file);
    return bytes;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    rmSync(part, { force: true });
    throw error;
  }
}
