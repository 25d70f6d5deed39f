// Runs the CLI in-process for tests: its exit code and what it wrote on stdout and stderr.
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(args: string[], opts: { stdin?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const stdin = opts.stdin === undefined ? undefined : Readable.from([Buffer.from(opts.stdin)]);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runCli(args, { stdout, stderr, env: opts.env ?? {}, ...(stdin ? { stdin } : {}) });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
