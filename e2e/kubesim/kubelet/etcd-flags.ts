// The host's etcd may be older than the one a kubeadm manifest is written for
// (Debian 12 ships 3.4, kubeadm 1.34+ targets 3.6). Translate the 3.6 flags
// kubeadm writes to their 3.4/3.5 names and drop flags the binary lacks, so
// the manifest can stay exactly as kubeadm writes it.
import { execFileSync } from 'node:child_process';

const RENAMES_FOR_OLD_ETCD: Record<string, string> = {
  'watch-progress-notify-interval': 'experimental-watch-progress-notify-interval',
  'compact-hash-check-enabled': 'experimental-compact-hash-check-enabled',
  'corrupt-check-time': 'experimental-corrupt-check-time',
};

let cachedHelp: { binary: string; flags: Set<string> } | undefined;

function supportedFlags(binary: string): Set<string> {
  if (cachedHelp?.binary === binary) return cachedHelp.flags;
  let text = '';
  try {
    text = execFileSync(binary, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    text = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  const flags = new Set<string>();
  for (const m of text.matchAll(/^\s+--([a-z0-9-]+)/gm)) flags.add(m[1]!);
  cachedHelp = { binary, flags };
  return flags;
}

export function translateEtcdArgs(args: string[], supported: Set<string>, log: (l: string) => void): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m || supported.size === 0) {
      out.push(arg);
      continue;
    }
    let name = m[1]!;
    const value = m[2];
    if (name === 'feature-gates' && !supported.has('feature-gates')) {
      // InitialCorruptCheck=true -> --experimental-initial-corrupt-check=true
      for (const gate of (value ?? '').split(',')) {
        const [g, v] = gate.split('=');
        if (g === 'InitialCorruptCheck' && supported.has('experimental-initial-corrupt-check')) out.push(`--experimental-initial-corrupt-check=${v}`);
      }
      continue;
    }
    if (!supported.has(name) && RENAMES_FOR_OLD_ETCD[name] && supported.has(RENAMES_FOR_OLD_ETCD[name]!)) name = RENAMES_FOR_OLD_ETCD[name]!;
    if (!supported.has(name) && name.startsWith('experimental-') && supported.has(name.slice(13))) name = name.slice(13);
    if (!supported.has(name)) {
      log(`etcd: dropping --${m[1]} (not supported by the host's etcd)`);
      continue;
    }
    out.push(value === undefined ? `--${name}` : `--${name}=${value}`);
  }
  return out;
}

export function etcdCommandLine(binary: string, args: string[], log: (l: string) => void): string[] {
  return translateEtcdArgs(args, supportedFlags(binary), log);
}
