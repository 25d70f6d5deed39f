// Facts about the host the kubelet reports (OS image, kernel, machine id,
// container runtime) and systemd interaction.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';

export function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1]!;
  } catch {
    /* not Linux */
  }
  return `${os.type()} ${os.release()}`;
}

export function readTrimmed(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** `containerd --version` -> "containerd://1.6.20~ds1" (what CRI Version reports). */
export function containerRuntimeVersion(): string {
  try {
    const out = execFileSync('containerd', ['--version'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const version = out.trim().split(/\s+/)[2];
    if (version) return `containerd://${version.replace(/^v/, '')}`;
  } catch {
    /* not installed */
  }
  return 'containerd://unknown';
}

/** `systemctl is-active <unit>` == active. */
export function unitActive(unit: string): Promise<boolean> {
  return unitState(unit).then((state) => state === 'active');
}

/**
 * systemd's answer for a unit, or 'unknown' when systemctl gave none in time (a loaded host):
 * callers that track a state keep their last answer then instead of reading it as down.
 */
export function unitState(unit: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('systemctl', ['is-active', unit], { timeout: 5000 }, (_err, stdout) => resolve(String(stdout).trim() || 'unknown'));
  });
}

export function socketPath(endpoint: string): string {
  return endpoint.replace(/^unix:\/\//, '');
}

/** Can we connect to the CRI socket? (the kubelet's runtime service check) */
export function canConnect(unixPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(unixPath);
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function firstHostIPv4(): string | undefined {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export function systemctl(args: string[]): { ok: boolean; output: string } {
  try {
    const out = execFileSync('systemctl', args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, output: e.stderr ?? e.message };
  }
}
