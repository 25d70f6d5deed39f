// File I/O for loadCluster: reading the manifest, Terraform output and credentials file,
// with errors that name the file. Kept apart from the pure API modules.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, KubeOneError } from '../errors/exit-codes.js';
import { ConfigError } from './errors.js';

/** Manifests are small; anything bigger is a wrong file, not a cluster. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export async function readStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_INPUT_BYTES) throw new ConfigError([{ path: '', message: `input is larger than ${MAX_INPUT_BYTES} bytes`, file: '<stdin>' }]);
    chunks.push(b);
  }
  return checkText(Buffer.concat(chunks), '<stdin>');
}

function checkText(buf: Buffer, file: string): string {
  const text = buf.toString('utf8');
  // NUL bytes or invalid UTF-8 (U+FFFD after decoding) mean a binary file.
  if (buf.includes(0) || (text.includes('\uFFFD') && !buf.includes(Buffer.from('\uFFFD')))) {
    throw new ConfigError([{ path: '', message: 'not a text file (binary content)', file }]);
  }
  return text;
}

/**
 * Saved snapshots grow with the fleet (about 2.5 KiB per host: 5,000 hosts are 12.6 MiB);
 * the same bounded decoding keeps a hostile one within the time and memory budget.
 */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/** Reads a text input file: I/O problems exit 1, oversize or binary content exits 15. */
export async function readTextFile(path: string, what: string, limit = MAX_INPUT_BYTES): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw ioError(path, what, e);
  }
  if (info.isDirectory()) throw new KubeOneError(`${what} ${path}: is a directory, expected a file`, ExitCode.default);
  if (info.size > limit) {
    throw new ConfigError([{ path: '', message: `${what} is ${info.size} bytes, larger than the ${limit} bytes limit`, file: path }]);
  }
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw ioError(path, what, e);
  }
  return checkText(buf, path);
}

function ioError(path: string, what: string, e: unknown): KubeOneError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new KubeOneError(`reading ${what} ${path}: ${reason}`, ExitCode.default, { cause: e });
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Terraform output from a directory, as KubeOne: the `outputs` of terraform.tfstate when
 * present, otherwise `terraform output -json` run there (1 minute timeout).
 */
export async function readTerraformDir(dir: string): Promise<{ text: string; file: string; outputsOnly: boolean }> {
  const statePath = join(dir, 'terraform.tfstate');
  if (await pathExists(statePath)) return { text: await readTextFile(statePath, 'terraform state'), file: statePath, outputsOnly: false };
  const text = await new Promise<string>((resolve, reject) => {
    execFile('terraform', ['output', '-json'], { cwd: dir, timeout: 60_000, maxBuffer: MAX_INPUT_BYTES }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new KubeOneError(`-t ${dir}: no terraform.tfstate there and terraform is not installed; run "terraform output -json > tf.json" where terraform is available and pass -t tf.json`, ExitCode.default));
      }
      const firstLine = String(stderr).split('\n').find((l) => l.trim()) ?? err.message;
      reject(new KubeOneError(`-t ${dir}: terraform output -json failed: ${firstLine}`, ExitCode.default));
    });
  });
  return { text, file: `${dir} (terraform output -json)`, outputsOnly: true };
}
