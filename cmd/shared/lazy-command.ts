// A command whose module is imported only when yargs runs it (its builder for the command's
// own flags and --help, its handler to execute): `kubeone version` or `kubeone --help` does
// not pay for the Kubernetes client, SSH or the addon renderer that other commands import.
import type { CommandBuilder, CommandModule } from 'yargs';
import type { CliContext, CommandFactory } from './context.js';
import type { GlobalArgs } from './global-flags.js';

/** What the parent command's help lists without loading the module: the module's own `command` and `describe`. */
export interface CommandSummary {
  command: string;
  describe: string;
}

/** A lazily loaded command factory; `summary` and `load` are kept for the test that they agree. */
export interface LazyCommandFactory extends CommandFactory {
  summary: CommandSummary;
  load: () => Promise<CommandFactory>;
}

function applyBuilder(builder: CommandBuilder<any, any> | undefined, y: Parameters<Extract<CommandBuilder<any, any>, Function>>[0]) {
  if (typeof builder === 'function') return builder(y);
  return builder ? y.options(builder) : y;
}

/**
 * Registers `summary` at once and imports the real factory (`load`) on first use. The real
 * module's `command` and `describe` must equal the summary (cmd/commands/lazy.test.ts checks).
 */
export function lazyCommand(summary: CommandSummary, load: () => Promise<CommandFactory>): LazyCommandFactory {
  const factory = (ctx: CliContext): CommandModule<GlobalArgs, any> => {
    let real: Promise<CommandModule<GlobalArgs, any>> | undefined;
    const resolve = () => (real ??= load().then((f) => f(ctx)));
    return {
      command: summary.command,
      describe: summary.describe,
      // yargs awaits a builder's promise (parseAsync) before it validates and runs the handler.
      builder: (async (y: Parameters<typeof applyBuilder>[1]) => applyBuilder((await resolve()).builder, y)) as never,
      handler: async (argv) => (await resolve()).handler(argv),
    };
  };
  return Object.assign(factory, { summary, load });
}
