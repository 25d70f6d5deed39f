// Options shared by the commands that touch hosts. They repeat cmd/shared/global-flags.ts's
// global -m/-c/-l definitions (same names, types and defaults) so the commands also work
// on their own; yargs merges identical definitions.
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { FlowError } from '../../pkg/executor/apply-flow.js';

export interface HostCommandArgs {
  manifest: string;
  credentials?: string;
  /** `json` for one JSON event per line; anything else (`text`, the global default) is for people. */
  'log-format': string;
}

export function withHostOptions<T>(y: Argv<T>): Argv<T & HostCommandArgs> {
  return y
    .option('manifest', { alias: 'm', type: 'string', default: './kubeone.yaml', describe: 'path to the KubeOneCluster manifest' })
    .option('credentials', { alias: 'c', type: 'string', describe: 'credentials file' })
    .option('log-format', { alias: 'l', type: 'string', default: 'text', describe: 'log format: text or json' }) as unknown as Argv<
    T & HostCommandArgs
  >;
}

export function manifestPath(args: HostCommandArgs): string {
  return resolve(args.manifest);
}

/** Prints a flow failure and sets the exit code (no stack traces for expected failures). */
export function reportFailure(error: unknown, json: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ type: 'error', message })}\n`);
  else process.stderr.write(`Error: ${message}\n`);
  process.exitCode = error instanceof FlowError ? error.exitCode : 1;
}
