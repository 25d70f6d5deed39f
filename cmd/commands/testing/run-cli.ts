// Runs the CLI in-process with buffered streams, for the command tests.
import { PassThrough, Readable } from 'node:stream';

import { runCli } from '../../cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runKubeone(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const stdin = opts.stdin === undefined ? undefined : Readable.from([Buffer.from(opts.stdin)]);
  const code = await runCli(args, { stdout, stderr, env: opts.env ?? {}, ...(stdin ? { stdin } : {}) });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
