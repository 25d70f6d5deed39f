// Turns what ssh2, sudo and remote commands report into an SshError of one of the
// documented kinds, always naming the host. The classification is by message and
// error code because ssh2 exposes no structured reason for most failures.
import type { ExecResult } from './types.js';
import { SshError } from './types.js';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
]);

interface Ssh2ErrorLike {
  message?: string;
  code?: string;
  level?: string;
}

/** Classifies a failure to establish (or keep) an SSH connection. */
export function classifyConnectError(host: string, target: string, error: unknown): SshError {
  if (error instanceof SshError) return error;
  const e = (error ?? {}) as Ssh2ErrorLike;
  const message = e.message ?? String(error);
  if (e.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new SshError(host, 'auth', `authentication failed for ${target} (no configured key or agent identity was accepted)`, { cause: error });
  }
  if (/timed out/i.test(message) || e.code === 'ETIMEDOUT') {
    return new SshError(host, 'timeout', `timed out connecting to ${target}`, { cause: error });
  }
  if ((e.code && UNREACHABLE_CODES.has(e.code)) || e.level === 'client-socket' || /not connected|closed|ended/i.test(message)) {
    return new SshError(host, 'unreachable', `unreachable: ${target}: ${e.code ?? message}`, { cause: error });
  }
  return new SshError(host, 'unreachable', `cannot connect to ${target}: ${message}`, { cause: error });
}

/** sudo -n prints this (or a translation of it; we only match English) when it would prompt. */
export function isSudoPasswordError(stderr: string): boolean {
  return /sudo: (a password is required|a terminal is required)/i.test(stderr);
}

/** The last lines of stderr, for error messages (never the whole stream). */
export function stderrTail(stderr: string, maxLines = 5, maxChars = 600): string {
  const lines = stderr.trimEnd().split('\n').slice(-maxLines).join('\n');
  return lines.length > maxChars ? `...${lines.slice(-maxChars)}` : lines;
}

/**
 * Turns a finished command into an error when it failed: 'sudoPassword' when sudo wanted
 * a password, otherwise 'commandFailed' with the exit code and the tail of stderr.
 * `what` describes the command for humans and must not contain secrets.
 */
export function commandError(host: string, what: string, result: ExecResult): SshError | null {
  if (result.code === 0) return null;
  if (isSudoPasswordError(result.stderr)) {
    return new SshError(host, 'sudoPassword', `sudo needs a password for the login user (passwordless sudo is required), while running ${what}`);
  }
  const tail = stderrTail(result.stderr);
  return new SshError(host, 'commandFailed', `${what} failed with exit code ${result.code}${tail ? `: ${tail}` : ''}`);
}

/** Throws the commandError of a result, if any. */
export function checkResult(host: string, what: string, result: ExecResult): ExecResult {
  const error = commandError(host, what, result);
  if (error) throw error;
  return result;
}
