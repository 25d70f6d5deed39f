import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { ConfigError, formatIssue } from '../../pkg/api/errors.js';
import type { LoadOptions } from '../../pkg/api/load.js';
import type { LoadedCluster } from '../../pkg/api/types.js';
import { exitCodeOf } from '../../pkg/errors/exit-codes.js';
import { createLogger, type Logger } from '../../pkg/log/logger.js';
import { clearRegisteredSecrets, redactingStream, redactText, registerSecrets } from '../../pkg/log/redact.js';
import type { GlobalArgs } from './global-flags.js';

/** Where a command writes; the process streams in production, buffers in tests. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  stdin?: NodeJS.ReadableStream;
}

/**
 * What every command gets: output streams, a logger and the manifest loader built from
 * the global flags, and `run` which turns a thrown error into KubeOne's exit code.
 */
export class CliContext {
  exitCode = 0;
  readonly io: Io;
  /** Standard output unmasked, for binary output the user asked for (`etcd snapshot -`): masking would corrupt it. */
  readonly rawStdout: NodeJS.WritableStream;
  constructor(io: Io) {
    this.rawStdout = io.stdout;
    // Everything a command writes is masked by the secrets of the manifest it loaded: the last
    // wall behind the structural redaction of dumps, plans and snapshots.
    clearRegisteredSecrets();
    this.io = { ...io, stdout: redactingStream(io.stdout), stderr: redactingStream(io.stderr) };
  }

  print(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  logger(argv: GlobalArgs): Logger {
    return createLogger({ verbose: argv.verbose, format: argv['log-format'] === 'json' ? 'json' : 'text', stream: this.io.stderr });
  }

  /** Loads, defaults and validates the manifest named by -m/-t/-c; logs its warnings. */
  async loadCluster(argv: GlobalArgs, overrides: Pick<LoadOptions, 'text' | 'transform'> = {}): Promise<LoadedCluster> {
    // Imported here, not at the top: commands without a manifest (version, help) skip them.
    const [{ loadCluster }, { collectSecrets }, { manifestHash }] = await Promise.all([
      import('../../pkg/api/load.js'),
      import('../../pkg/api/redact.js'),
      import('../../pkg/api/manifest-hash.js'),
    ]);
    const loaded = await loadCluster({
      ...overrides,
      manifestPath: argv.manifest,
      ...(argv.tfjson ? { tfjson: argv.tfjson } : {}),
      ...(argv.credentials ? { credentialsPath: argv.credentials } : {}),
      env: this.io.env,
      ...(this.io.stdin ? { stdin: this.io.stdin } : {}),
    });
    registerSecrets(collectSecrets(loaded, this.io.env));
    const log = this.logger(argv);
    for (const w of loaded.warnings) log.warn(w);
    log.debug('manifest loaded', { manifest: loaded.manifestPath, hosts: loaded.hosts.map((h) => h.name).join(','), sha256: manifestHash(loaded.cluster) });
    return loaded;
  }

  /** Wraps a command handler: errors are printed (no stack unless --debug) and mapped to an exit code. */
  run<A extends object = object>(handler: (argv: A & GlobalArgs) => Promise<void> | void): (argv: ArgumentsCamelCase<any>) => Promise<void> {
    return async (argv) => {
      try {
        await handler(argv as unknown as A & GlobalArgs);
      } catch (err) {
        this.fail(err, Boolean(argv.debug));
      }
    };
  }

  fail(err: unknown, debug: boolean): void {
    this.exitCode = exitCodeOf(err);
    this.io.stderr.write(describeError(err, debug));
  }
}

export function describeError(err: unknown, debug: boolean): string {
  if (err instanceof ConfigError) {
    const lines = err.issues.map(formatIssue);
    const head = err.message.split('\n')[0];
    return `Error: ${head} (${lines.length} ${lines.length === 1 ? 'error' : 'errors'})\n${lines.join('\n')}\n${debug && err.stack ? redactText(err.stack) + '\n' : ''}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  let out = `Error: ${redactText(message)}\n`;
  if (debug && err instanceof Error && err.stack) out += redactText(err.stack) + '\n';
  return out;
}

/** A command plugs into the CLI as a function of the shared context (see commands/index.ts). */
export type CommandFactory = (ctx: CliContext) => CommandModule<GlobalArgs, any>;
