// Options shared by the commands that touch hosts (the root command may define the same
// global ones; yargs merges identical definitions).
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { FlowError } from '../../pkg/executor/apply-flow.js';

export interface HostCommandArgs {
  manifest: string;
  credentials?: string;
  'log-format': 'human' | 'json';
}

export function withHostOptions<T>(y: Argv<T>): Argv<T & HostCommandArgs> {
  return y
    .option('manifest', { alias: 'm', type: 'string', default: './kubeone.yaml', describe: 'path to the KubeOneCluster manifest' })
    .option('credentials', { alias: 'c', type: 'string', describe: 'credentials file' })
    .option('log-format', { choices: ['human', 'json'] as const, default: 'human' as const, describe: 'progress output format' }) as unknown as Argv<
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
