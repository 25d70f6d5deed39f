// SSH from the test machine to fleet hosts: the fleet's key pair, logins
// (direct or through the bastion), command execution and the readiness wait.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: its `utils` is only reachable through the default export.
const { Client: SshClient, utils } = ssh2;

import type { ExecResult } from './types.js';

export interface SshKeyFiles {
  keyPath: string;
  publicKeyPath: string;
  publicKey: string;
}

/**
 * ssh2's generator drops a leading zero byte of the ed25519 public key now and then (about 1
 * key in 250), and then cannot parse its own private key: draw again until it can.
 */
function parsableKeyPair(comment: string): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

/** A new ed25519 key pair in OpenSSH format, written as DIR/id_ed25519{,.pub}. */
export async function writeFleetKeyPair(dir: string, comment: string): Promise<SshKeyFiles> {
  const pair = parsableKeyPair(comment);
  const keyPath = path.join(dir, 'id_ed25519');
  const publicKeyPath = `${keyPath}.pub`;
  await writeFile(keyPath, pair.private, { mode: 0o600 });
  await writeFile(publicKeyPath, `${pair.public}\n`, { mode: 0o644 });
  return { keyPath, publicKeyPath, publicKey: pair.public };
}

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  privateKey?: string | Buffer;
  /** Only to prove that sandbox hosts refuse passwords. */
  password?: string;
  /** Jump host: the connection to `host:port` is opened from there. */
  via?: SshTarget;
}

export interface SshConnection {
  client: Client;
  /** OpenSSH-style fingerprint of the host key the server presented. */
  hostKeyFingerprint: string;
  close(): void;
}

export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

function connectOnce(config: ConnectConfig): Promise<{ client: Client; hostKeyFingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let hostKeyFingerprint = '';
    // Stays attached: ssh2 may emit more errors (also after 'ready', when the
    // peer goes away) and an 'error' event without a listener kills the process.
    // Callers see those as failed exec()s or closed channels instead.
    client
      .once('ready', () => resolve({ client, hostKeyFingerprint }))
      .on('error', (error) => {
        client.end();
        reject(error);
      })
      .connect({
        ...config,
        // Sandbox hosts get fresh keys at first boot; tests compare fingerprints instead.
        hostVerifier: (key: Buffer) => {
          hostKeyFingerprint = fingerprint(key);
          return true;
        },
      });
  });
}

function forwardOut(client: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** Logs in (through the jump host when `via` is set). Errors are ssh2's, untouched. */
export async function sshConnect(target: SshTarget, timeoutMs = 10_000): Promise<SshConnection> {
  const auth: ConnectConfig = { username: target.user, readyTimeout: timeoutMs };
  if (target.privateKey !== undefined) auth.privateKey = target.privateKey;
  if (target.password !== undefined) auth.password = target.password;
  if (!target.via) {
    const { client, hostKeyFingerprint } = await connectOnce({ ...auth, host: target.host, port: target.port });
    return { client, hostKeyFingerprint, close: () => client.end() };
  }
  const jump = await sshConnect(target.via, timeoutMs);
  try {
    const sock = await forwardOut(jump.client, target.host, target.port);
    const { client, hostKeyFingerprint } = await connectOnce({ ...auth, sock });
    return {
      client,
      hostKeyFingerprint,
      close: () => {
        client.end();
        jump.close();
      },
    };
  } catch (error) {
    jump.close();
    throw error;
  }
}

/** Runs one command in a session; resolves with its exit code and output. */
export function sshExec(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let stdout = '';
      let stderr = '';
      channel.on('data', (d: Buffer) => (stdout += d.toString()));
      channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      channel.on('close', (code: number | null) => resolve({ exitCode: code ?? -1, stdout, stderr }));
    });
  });
}

/**
 * One-shot convenience: log in, run, log out. `timeoutMs` bounds the login; `runTimeoutMs`, when
 * given, the command: a host can accept the login and leave the session unanswered, and
 * sshExec has no timeout of its own.
 */
export async function sshRun(target: SshTarget, command: string, timeoutMs?: number, runTimeoutMs?: number): Promise<ExecResult> {
  const connection = await sshConnect(target, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const run = sshExec(connection.client, command);
  run.catch(() => undefined); // Closing the connection on timeout fails it: nobody waits for it then.
  try {
    if (runTimeoutMs === undefined) return await run;
    return await Promise.race([
      run,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`logged in, but '${command}' did not finish within ${runTimeoutMs} ms`)), runTimeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    connection.close();
  }
}

/**
 * Waits until the host accepts a login with the key and runs a command: sshd
 * listening is not enough (host keys and authorized_keys must be in place).
 */
export async function waitForSshLogin(target: SshTarget, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const left = Math.max(1_000, deadline - Date.now());
      // Each attempt bounded as a whole, so that one unanswered session cannot hold the wait past its deadline.
      const result = await sshRun(target, 'true', Math.min(5_000, left), Math.min(20_000, left));
      if (result.exitCode === 0) return;
      lastError = new Error(`'true' exited ${result.exitCode}: ${result.stderr}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${label} did not accept an SSH login within ${timeoutMs} ms: ${(lastError as Error)?.message ?? lastError}`);
}
