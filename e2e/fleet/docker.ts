// Thin wrapper over the docker CLI, for what testcontainers does not offer or
// cannot do for containers it did not start in this process: networks with a
// fixed subnet, stop/start/kill/pause of existing containers, network faults,
// sweeping by label. The CLI works the same for a re-attached fleet.
import { execFile } from 'node:child_process';

import type { ExecResult } from './types.js';

export class DockerError extends Error {
  constructor(
    readonly args: string[],
    readonly result: ExecResult,
  ) {
    super(`docker ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'DockerError';
  }
}

/** Runs `docker ARGS`; never throws, the exit code is in the result. */
export function dockerRaw(args: string[], input?: string): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile('docker', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr || (error && code === 127 ? error.message : '')) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs `docker ARGS` and returns its trimmed stdout; throws DockerError on failure. */
export async function docker(args: string[], input?: string): Promise<string> {
  const result = await dockerRaw(args, input);
  if (result.exitCode !== 0) throw new DockerError(args, result);
  return result.stdout.trim();
}

/** Ids of the containers (all states) or networks carrying every given label. */
export async function listByLabels(kind: 'container' | 'network', labels: Record<string, string>): Promise<string[]> {
  const filters = Object.entries(labels).flatMap(([k, v]) => ['--filter', v === '' ? `label=${k}` : `label=${k}=${v}`]);
  const args = kind === 'container' ? ['ps', '-aq', ...filters] : ['network', 'ls', '-q', ...filters];
  const out = await docker(args);
  return out === '' ? [] : out.split('\n');
}

/** `docker inspect` of one object, parsed; undefined when it does not exist. */
export async function inspect<T = Record<string, any>>(id: string): Promise<T | undefined> {
  const result = await dockerRaw(['inspect', id]);
  if (result.exitCode !== 0) return undefined;
  return (JSON.parse(result.stdout) as T[])[0];
}
