import yargs from 'yargs';
import { ExitCode, KubeOneError } from '../pkg/errors/exit-codes.js';
import { commands } from './commands/index.js';
import { CliContext, type Io } from './shared/context.js';
import { addGlobalFlags } from './shared/global-flags.js';

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };

/**
 * yargs renders the whole help text after every command handler, in case the handler asks
 * for it later; ours never do, and rendering it is a fifth of `kubeone version`'s start-up.
 * Internal API: if a yargs version lacks it, nothing changes but speed.
 */
function skipHelpCache(parser: object): void {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** Runs the kubeone CLI on `args` (without node and script) and returns the exit code. */
export async function runCli(args: string[], io: Io = processIo): Promise<number> {
  const ctx = new CliContext(io);
  let parser = addGlobalFlags(yargs(args))
    .scriptName('kubeone')
    .usage('$0 <command> [flags]\n\nDeclarative Kubernetes cluster lifecycle over SSH with kubeadm (KubeOne-compatible).')
    .strict()
    .demandCommand(1, 'a command is required')
    .recommendCommands()
    .completion('__complete', false)
    .exitProcess(false)
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // Usage errors (unknown flag or command) exit 1, as KubeOne; throwing stops yargs
      // from running the command handler anyway.
      throw err ?? new KubeOneError(`${msg}\nRun "kubeone --help" for usage.`, ExitCode.default);
    });
  for (const factory of commands) parser = parser.command(factory(ctx));
  skipHelpCache(parser);
  try {
    await parser.parseAsync();
  } catch (err) {
    ctx.fail(err, args.includes('--debug') || args.includes('-d'));
  }
  return ctx.exitCode;
}
