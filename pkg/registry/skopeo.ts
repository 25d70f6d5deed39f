// Copies images between registries with skopeo (containers/image), the user's binary:
// `skopeo` on PATH or --skopeo-binary, run as an argv array (never through a shell) with
// references checked before they are passed. No maintained npm library pushes images, and
// skopeo is what a platform engineer already trusts for this job. skopeo reads registry
// credentials itself (see docs/commands.md#kubeone-mirror-images for the files).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { isImageReference } from '../api/validate/shapes.js';
import { ExitCode, KubeOneError } from '../errors/exit-codes.js';
import { redactText } from '../log/redact.js';
import { formatImageRef, type ImageRef, parseImageRef } from './reference.js';

/** A copy that failed: skopeo's own message, secrets masked. */
export class SkopeoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkopeoError';
  }
}

/** skopeo is missing or does not run: nothing can be copied (exit 16, KubeOne's exec error). */
export class SkopeoUnavailableError extends KubeOneError {
  constructor(message: string) {
    super(message, ExitCode.exec);
    this.name = 'SkopeoUnavailableError';
  }
}

export interface CopyRequest {
  source: string;
  destination: string;
  /** --insecure: no TLS verification, plain HTTP allowed, on both ends. */
  insecure: boolean;
  /** Where skopeo writes the digest of the copied manifest. */
  digestFile?: string;
}

/** skopeo's own retries of network failures (KubeOne's crane copy makes 5 tries). */
const RETRY_TIMES = 4;

/** Loopback registries speak plain HTTP, as Docker and crane assume without --insecure. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/\/.*$/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `docker://<registry>/<repository>:<tag|@digest>`, after a strict check of the raw reference. */
function transportRef(image: string): { ref: string; registry: string } {
  const invalid = new SkopeoError(`invalid image reference ${JSON.stringify(image)}`);
  if (!isImageReference(image)) throw invalid;
  let parsed: ImageRef;
  try {
    parsed = parseImageRef(image);
  } catch {
    throw invalid;
  }
  return { ref: `docker://${formatImageRef(parsed)}`, registry: parsed.registry };
}

/**
 * The argv of one `skopeo copy`: every platform of an index (`--all`, as crane copies an index
 * whole), digests kept (`--preserve-digests`: fail rather than convert a manifest), TLS
 * verification off for loopback registries and, with --insecure, for both ends.
 */
export function copyArgs(r: CopyRequest): string[] {
  const source = transportRef(r.source);
  const destination = transportRef(r.destination);
  const verify = (registry: string): string => String(!(r.insecure || isLoopbackRegistry(registry)));
  return [
    'copy',
    '--all',
    '--preserve-digests',
    '--quiet',
    `--retry-times=${RETRY_TIMES}`,
    `--src-tls-verify=${verify(source.registry)}`,
    `--dest-tls-verify=${verify(destination.registry)}`,
    ...(r.digestFile ? [`--digestfile=${r.digestFile}`] : []),
    '--',
    source.ref,
    destination.ref,
  ];
}

/** skopeo's message: its `level=fatal msg="..."` line, else the end of its output. */
export function skopeoMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.map((l) => /level=(?:fatal|error) msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]).filter((m): m is string => m !== undefined);
  const text = fatal.length > 0 ? fatal.map((m) => m.replace(/\\(.)/g, '$1')).join('; ') : lines.slice(-5).join(' ');
  return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
}

export interface SkopeoOptions {
  /** The skopeo executable: a path or a name looked up on PATH. Default `skopeo`. */
  binary?: string;
  /** The environment skopeo runs in (DOCKER_CONFIG, REGISTRY_AUTH_FILE, HOME, proxies). */
  env?: NodeJS.ProcessEnv;
}

export interface Skopeo {
  /** `skopeo --version`: the version, or SkopeoUnavailableError. Asked once before copying. */
  version(): Promise<string>;
  /** One image, every platform; resolves to the digest of the copied top manifest. */
  copy(r: Omit<CopyRequest, 'digestFile'>, digestFile: string): Promise<string>;
}

export function skopeo(options: SkopeoOptions = {}): Skopeo {
  const binary = options.binary ?? 'skopeo';
  const missing = `skopeo was not found (${binary}): mirror-images copies images with it; install it (Debian/Ubuntu: apt install skopeo) or give its path with --skopeo-binary`;

  function run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(binary, args, { env: options.env ?? process.env, maxBuffer: 4 * 1024 * 1024, shell: false }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new SkopeoUnavailableError(missing));
        if (typeof code === 'string') return reject(new SkopeoUnavailableError(`skopeo (${binary}) could not run: ${error.message}`));
        const message = skopeoMessage(stderr) || (error.signal ? `skopeo was stopped (${error.signal})` : `skopeo exited with code ${code}`);
        reject(new SkopeoError(redactText(message)));
      });
    });
  }

  return {
    async version() {
      let text: string;
      try {
        text = await run(['--version']);
      } catch (error) {
        if (error instanceof SkopeoUnavailableError) throw error;
        throw new SkopeoUnavailableError(`skopeo (${binary}) does not run: ${(error as Error).message}`);
      }
      const found = /\bversion (\d+\.\d+\.\d+\S*)/.exec(text)?.[1];
      if (!found) throw new SkopeoUnavailableError(`${binary} --version printed ${JSON.stringify(text.trim().slice(0, 200))}, not a skopeo version`);
      return found;
    },
    async copy(r, digestFile) {
      await run(copyArgs({ ...r, digestFile }));
      return readFileSync(digestFile, 'utf8').trim();
    },
  };
}
