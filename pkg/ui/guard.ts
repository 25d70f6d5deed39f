// What every dashboard request must get past before anything reads or changes the cluster:
// the per-run token (query on the first visit, then a SameSite=Strict HttpOnly cookie; a
// form field on POST), a Host header naming this server (DNS rebinding), an Origin of this
// server on POST (CSRF), and object names of the shape Kubernetes allows.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { isDNS1123Subdomain } from '../api/validate/util.js';

/** 256 random bits, URL-safe: printed once in the URL the command logs. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (a wrong token takes as long whatever its prefix). */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie carrying the token; named after the port, as cookies are shared between ports of a host. */
export const cookieName = (port: number): string => `kubeone_ui_${port}`;

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The value of one cookie in a Cookie header (the last one wins if repeated, as none should be). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  let found: string | undefined;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) found = part.slice(eq + 1).trim();
  }
  return found;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * The Host header values this server answers to: its own address, plus the loopback names
 * when it listens on loopback. A page served under another name (a rebound DNS name) is refused.
 */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const names = isLoopback(listenHost) ? ['127.0.0.1', 'localhost', '::1', listenHost] : [listenHost];
  return new Set(names.map((n) => hostPort(n, port)));
}

export function hostAllowed(allowed: Set<string>, host: string | undefined): boolean {
  return typeof host === 'string' && allowed.has(host.toLowerCase());
}

/**
 * A state-changing request must come from a page of this server: an Origin header, when sent
 * (browsers send it on every form POST), must be this server; Sec-Fetch-Site, when sent, must
 * not say another site. Clients that send neither (curl) still need the token.
 */
export function originAllowed(allowed: Set<string>, headers: { origin?: string; 'sec-fetch-site'?: string | string[] }): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  const m = /^http:\/\/([^/]+)$/.exec(origin);
  return m !== null && allowed.has(m[1]!.toLowerCase());
}

/** A Kubernetes object name (Pod, MachineDeployment, Machine, Node): a DNS-1123 subdomain. */
export function isObjectName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && isDNS1123Subdomain(value);
}

/** A namespace name: a DNS-1123 label. */
export function isNamespaceName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}
