// Runs the built `kubeone` CLI (dist/cmd/kubeone.js) as a user would: a separate process,
// exit code, stdout and stderr. Used by the whole-lifecycle scenario.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { stringify } from 'yaml';

import { REPO_ROOT } from '../fleet/index.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';

export const KUBEONE_BIN = path.join(REPO_ROOT, 'dist', 'cmd', 'kubeone.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written so far (stdout then stderr interleaved as they arrive). */
  output(): string;
  done: Promise<CliResult>;
}

export function startKubeone(args: string[], cwd: string): RunningCli {
  const child = spawn(process.execPath, [KUBEONE_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout!.on('data', (d: Buffer) => ((stdout += d), (both += d)));
  child.stderr!.on('data', (d: Buffer) => ((stderr += d), (both += d)));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, output: () => both, done };
}

export async function kubeone(args: string[], cwd: string): Promise<CliResult> {
  return startKubeone(args, cwd).done;
}

/** Like kubeone(), but throws with the output when the exit code is not the expected one. */
export async function kubeoneExpect(expected: number, args: string[], cwd: string): Promise<CliResult> {
  const r = await kubeone(args, cwd);
  if (r.code !== expected) {
    throw new Error(`kubeone ${args.join(' ')} exited ${r.code ?? r.signal}, expected ${expected}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
  }
  return r;
}

/** A scenario that edits one manifest and runs the CLI on it: `write` saves the manifest, `k1`
 * runs kubeone with `-m <manifest>` appended and expects exit 0. `where` is read at each call
 * because scenarios set the paths in their `before` hook. */
export function manifestSession(where: () => { manifestPath: string; dir: string }): {
  write: (manifest: object) => void;
  k1: (...args: string[]) => Promise<CliResult>;
} {
  return {
    write: (manifest) => writeFileSync(where().manifestPath, stringify(manifest)),
    k1: (...args) => kubeoneExpect(0, [...args, '-m', where().manifestPath], where().dir),
  };
}

export async function snapshotOf(manifest: string, cwd: string, extra: string[] = []): Promise<Snapshot> {
  const r = await kubeoneExpect(0, ['snapshot', '-m', manifest, ...extra], cwd);
  return JSON.parse(r.stdout) as Snapshot;
}

/** Resolves once `predicate` holds for the output so far; rejects if the process ends first. */
export function waitForOutput(run: RunningCli, predicate: (output: string) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (predicate(run.output())) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void run.done.then((r) => {
      clearInterval(timer);
      if (predicate(run.output())) resolve();
      else reject(new Error(`kubeone ended (${r.code ?? r.signal}) before ${what}\n${run.output().slice(-6000)}`));
    });
  });
}
