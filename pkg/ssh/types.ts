// The contract every remote operation goes through. One real implementation (ssh2 via
// node-ssh, pkg/ssh/pool.ts) and in-memory fakes for unit tests.
import type { Duplex } from 'node:stream';
import { ExitCode } from '../errors/exit-codes.js';
import type { HostErrorKind } from '../snapshot/types.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Fed to the command's standard input (e.g. a script for `bash -s`, a secret). */
  stdin?: string | Buffer;
  /** Per-command timeout; the command is abandoned (and the error kind is 'timeout') past it. */
  timeoutMs?: number;
}

export interface WriteOptions {
  /** File mode, e.g. 0o600. */
  mode?: number;
  /** Owner, e.g. 'root:root' (written through sudo). */
  owner?: string;
}

/** One host, reached over one SSH connection reused for every command and tunnel of a run. */
export interface HostTransport {
  /** ResolvedHost.name of the host. */
  readonly host: string;
  /** Runs a command as the login user (prefix privileged parts with `sudo` yourself). Never rejects on a non-zero exit code. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Writes a file as root through sudo (atomically: temp file then mv). */
  writeFile(remotePath: string, content: string | Buffer, opts?: WriteOptions): Promise<void>;
  /** Uploads a local file as root through sudo (large files stream; atomic). */
  upload(localPath: string, remotePath: string, opts?: WriteOptions): Promise<void>;
  /** Reads a file through sudo. */
  readFile(remotePath: string): Promise<Buffer>;
  /** A TCP channel from the host to dstHost:dstPort (e.g. the apiserver at privateAddress:6443). */
  forwardOut(dstHost: string, dstPort: number): Promise<Duplex>;
  close(): Promise<void>;
}

/** Classified failure of a remote operation: always names the host. */
export class SshError extends Error {
  /** @param detail what went wrong, without the host name (which `message` starts with). */
  constructor(
    readonly host: string,
    readonly kind: HostErrorKind,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${detail}`, options);
    this.name = 'SshError';
  }

  /** KubeOne's exit codes: 14 host not reached, 16 a remote command failed, 13 other SSH failures. */
  get exitCode(): number {
    if (this.kind === 'unreachable' || this.kind === 'timeout') return ExitCode.connection;
    if (this.kind === 'commandFailed') return ExitCode.exec;
    return ExitCode.ssh;
  }
}
