// The transport of `kubeone local`: the same HostTransport as over SSH, for the machine
// kubeone runs on. Commands run through `bash -c` (as KubeOne's local executor), files are
// written with the same install command as over SSH, and a "tunnel" is a plain TCP
// connection. Root needs no sudo; another user needs passwordless sudo, as over SSH.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Duplex, Readable } from 'node:stream';

import type { ResolvedHost } from '../api/types.js';
import { Limiter } from './limiter.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONCURRENCY } from './pool.js';
import { type RawResult, ShellTransport, summarize } from './transport.js';
import { type HostTransport, SshError } from './types.js';


export class LocalTransport extends ShellTransport implements HostTransport {
  private readonly limiter = new Limiter(DEFAULT_CONCURRENCY);
  readonly sudo: string;
  private readonly defaultTimeoutMs: number;

  constructor(
    readonly host: string,
    options: { root?: boolean; defaultTimeoutMs?: number } = {},
  ) {
    super();
    this.sudo = (options.root ?? process.getuid?.() === 0) ? '' : 'sudo -n ';
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  execRaw(command: string, stdin?: string | Buffer | Readable, timeoutMs?: number): Promise<RawResult> {
    const limit = timeoutMs ?? this.defaultTimeoutMs;
    return this.limiter.run(
      () =>
        new Promise<RawResult>((resolve, reject) => {
          // Its own process group, so a timeout ends everything the command started.
          const child = spawn('bash', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          let settled = false;
          const timer = setTimeout(() => {
            if (settled) return;
            settled = true;
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
            reject(new SshError(this.host, 'timeout', `command timed out after ${limit} ms: ${summarize(command)}`));
          }, limit);
          child.stdout.on('data', (d: Buffer) => out.push(d));
          child.stderr.on('data', (d: Buffer) => err.push(d));
          child.on('error', (e) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            reject(new SshError(this.host, 'unreachable', `cannot run bash: ${e.message}`, { cause: e }));
          });
          child.on('close', (code, signal) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ code: code ?? (signal ? 128 : 255), stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
          });
          // A command that does not read its input must not fail the write.
          child.stdin.on('error', () => undefined);
          if (stdin === undefined) child.stdin.end();
          else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
          else stdin.pipe(child.stdin);
        }),
    );
  }

  forwardOut(dstHost: string, dstPort: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: dstHost, port: dstPort });
      socket.once('connect', () => {
        socket.removeListener('error', onError);
        resolve(socket);
      });
      const onError = (e: Error) => reject(new SshError(this.host, 'unreachable', `cannot connect to ${dstHost}:${dstPort}: ${e.message}`, { cause: e }));
      socket.once('error', onError);
    });
  }

  async close(): Promise<void> {
    // Nothing is held open between commands.
  }
}

/** The pool of `kubeone local`: every host of the (one-host) cluster is this machine. */
export function createLocalPool(): { get(host: ResolvedHost): Promise<HostTransport>; closeAll(): Promise<void> } {
  const transports = new Map<string, LocalTransport>();
  return {
    async get(host) {
      let t = transports.get(host.name);
      if (!t) transports.set(host.name, (t = new LocalTransport(host.name)));
      return t;
    },
    async closeAll() {
      transports.clear();
    },
  };
}

/**
 * This machine's address as KubeOne's local command picks it (ChooseHostInterface): the
 * IPv4 address of the interface that holds the default route, else the first non-loopback one.
 */
export function defaultRouteAddress(routeTable = readRouteTable(), interfaces = os.networkInterfaces()): string | undefined {
  const defaultIface = routeTable
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1] === '00000000' && f[7] === '00000000')?.[0];
  const v4 = (name: string) => (interfaces[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (defaultIface && v4(defaultIface)) return v4(defaultIface);
  for (const name of Object.keys(interfaces)) if (v4(name)) return v4(name);
  return undefined;
}

function readRouteTable(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return '';
  }
}
