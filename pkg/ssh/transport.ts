// HostTransport over one ssh2 connection: commands, file writes through sudo, file reads,
// and TCP channels. Every command runs in its own SSH channel on the shared connection.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Duplex, Readable } from 'node:stream';

import type { Client, ClientChannel } from 'ssh2';

import { shq } from '../scripts/shell.js';
import { checkResult } from './errors.js';
import { Limiter } from './limiter.js';
import { type ExecOptions, type ExecResult, type HostTransport, SshError, type WriteOptions } from './types.js';

/** OpenSSH allows 10 sessions per connection by default; stay below it. */
const CHANNELS_PER_HOST = 8;

export interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface SshTransportOptions {
  host: string;
  client: Client;
  /** Whether the login user is root (then privileged commands need no sudo). */
  root: boolean;
  /** Shared across hosts: bounds how many commands run at once in the whole run. */
  limiter: Limiter;
  defaultTimeoutMs: number;
  onClose: () => Promise<void>;
}

/**
 * What every shell-backed transport shares: text results of commands, and file writes and
 * reads as commands through sudo (installCommand, `cat`). A transport supplies how a command
 * runs (execRaw), its host name and its sudo prefix.
 */
export abstract class ShellTransport {
  abstract readonly host: string;
  abstract get sudo(): string;
  abstract execRaw(command: string, stdin?: string | Buffer | Readable, timeoutMs?: number): Promise<RawResult>;

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const raw = await this.execRaw(command, opts.stdin, opts.timeoutMs);
    return { code: raw.code, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8') };
  }

  async writeFile(remotePath: string, content: string | Buffer, opts: WriteOptions = {}): Promise<void> {
    await this.install(remotePath, typeof content === 'string' ? Buffer.from(content) : content, opts);
  }

  async upload(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<void> {
    await this.install(remotePath, createReadStream(localPath), opts, 30 * 60_000);
  }

  /** Streams content to a private temp file, then installs it as root beside the target and renames it over the target. */
  private async install(remotePath: string, content: Buffer | Readable, opts: WriteOptions, timeoutMs?: number): Promise<void> {
    const raw = await this.execRaw(installCommand(this.host, remotePath, opts, this.sudo), content, timeoutMs);
    checkResult(this.host, `writing ${remotePath}`, { code: raw.code, stdout: '', stderr: raw.stderr.toString('utf8') });
  }

  async readFile(remotePath: string): Promise<Buffer> {
    const raw = await this.execRaw(`${this.sudo}cat -- ${shq(remotePath)}`);
    checkResult(this.host, `reading ${remotePath}`, { code: raw.code, stdout: '', stderr: raw.stderr.toString('utf8') });
    return raw.stdout;
  }
}

export class SshTransport extends ShellTransport implements HostTransport {
  readonly host: string;
  private readonly channels = new Limiter(CHANNELS_PER_HOST);
  private closed = false;

  constructor(private readonly options: SshTransportOptions) {
    super();
    this.host = options.host;
  }

  /** `sudo -n ` for non-root users: a password prompt fails at once instead of hanging. */
  get sudo(): string {
    return this.options.root ? '' : 'sudo -n ';
  }

  execRaw(command: string, stdin?: string | Buffer | Readable, timeoutMs?: number): Promise<RawResult> {
    if (this.closed) return Promise.reject(new SshError(this.host, 'unreachable', 'connection already closed'));
    const limit = timeoutMs ?? this.options.defaultTimeoutMs;
    return this.options.limiter.run(() => this.channels.run(() => this.runChannel(command, stdin, limit)));
  }

  private runChannel(command: string, stdin: string | Buffer | Readable | undefined, timeoutMs: number): Promise<RawResult> {
    return new Promise<RawResult>((resolve, reject) => {
      let channel: ClientChannel | undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new SshError(this.host, 'timeout', `command timed out after ${timeoutMs} ms: ${summarize(command)}`)));
        if (channel) {
          try {
            channel.signal('KILL');
          } catch {
            // older servers refuse signals; closing the channel is enough for us
          }
          channel.close();
        }
      }, timeoutMs);
      const refused = (error: Error) => finish(() => reject(new SshError(this.host, 'unreachable', `cannot open a command channel: ${error.message}`, { cause: error })));
      const opened = (error: Error | undefined, ch: ClientChannel) => {
        if (error) {
          refused(error);
          return;
        }
        channel = ch;
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        ch.on('data', (d: Buffer) => out.push(d));
        ch.stderr.on('data', (d: Buffer) => err.push(d));
        ch.on('close', (code: number | null, signal?: string) => {
          finish(() => resolve({ code: code ?? (signal ? 128 : 255), stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
        });
        ch.on('error', (e: Error) => finish(() => reject(new SshError(this.host, 'unreachable', `channel error: ${e.message}`, { cause: e }))));
        if (stdin === undefined) ch.end();
        else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) ch.end(stdin);
        else stdin.pipe(ch);
      };
      try {
        this.options.client.exec(command, opened);
      } catch (error) {
        // ssh2 throws 'Not connected' at once when the connection already ended (a host whose
        // network dropped, after the keepalives gave up): the same failure as a refused channel.
        refused(error as Error);
      }
    });
  }

  forwardOut(dstHost: string, dstPort: number): Promise<Duplex> {
    if (this.closed) return Promise.reject(new SshError(this.host, 'unreachable', 'connection already closed'));
    return openTunnel(this.options.client, dstHost, dstPort).catch((error: Error) => {
      throw new SshError(this.host, 'unreachable', `cannot open a tunnel to ${dstHost}:${dstPort} from this host: ${error.message}`, { cause: error });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.onClose();
  }
}

/**
 * A channel from `client`'s host to dstHost:dstPort. ssh2 reports a refusal through the callback
 * but throws 'Not connected' at once when the connection already ended; both reject here.
 */
export function openTunnel(client: Client, dstHost: string, dstPort: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      client.forwardOut('127.0.0.1', 0, dstHost, dstPort, (error, channel) => (error ? reject(error) : resolve(channel)));
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * The command that installs its standard input as `remotePath` (mode, owner) through `sudo`:
 * a private temp file, installed beside the target, renamed over it. Shared by every transport.
 */
export function installCommand(host: string, remotePath: string, opts: WriteOptions, sudo: string): string {
  if (!path.posix.isAbsolute(remotePath)) throw new SshError(host, 'commandFailed', `refusing to write a relative path: ${remotePath}`);
  const mode = (opts.mode ?? 0o644).toString(8).padStart(4, '0');
  const [owner, group] = (opts.owner ?? 'root:root').split(':');
  const staged = `${remotePath}.kubeone-${randomBytes(4).toString('hex')}`;
  const script = [
    'set -e',
    't=$(mktemp)',
    `trap 'rm -f "$t"' EXIT`,
    'cat > "$t"',
    `${sudo}mkdir -p ${shq(path.posix.dirname(remotePath))}`,
    `${sudo}install -m ${mode} -o ${shq(owner!)} -g ${shq(group ?? owner!)} "$t" ${shq(staged)}`,
    `${sudo}mv -f ${shq(staged)} ${shq(remotePath)}`,
  ].join('\n');
  return `sh -c ${shq(script)}`;
}

/** The first line of a command, shortened: commands may carry scripts, never secrets (those go through stdin). */
export function summarize(command: string): string {
  const first = command.split('\n')[0]!;
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
