// Small building blocks every host script shares: the strict header, quoting, and the
// guarded "write this file only if its bytes differ" helper that makes re-runs no-ops.
// shq is THE quoting rule: every value interpolated into a command or script goes through
// it (pkg/ssh and pkg/probe use it too); file contents travel in quoted heredocs.
import { posix } from 'node:path';

/** Quotes a value for bash with single quotes (safe for any byte except NUL). */
export function shq(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot hold a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One word of a systemd command line that comes from a variable (`$KUBELET_KUBEADM_ARGS`):
 * systemd splits such values at whitespace and honours quotes. Plain words stay as they are,
 * words with spaces are single-quoted; quotes, backslashes, `$` and control characters cannot
 * be represented in both the environment file and the split, so they are refused. `%` and `<`
 * are plain here (kubelet's `--eviction-hard=memory.available<100Mi,nodefs.available<10%`):
 * systemd expands specifiers in unit files, not in the values of environment variables.
 */
export function systemdWord(word: string): string {
  if (/^[A-Za-z0-9_.,:/=@+%<>-]+$/.test(word)) return word;
  // eslint-disable-next-line no-control-regex
  if (word === '' || /['"\\$`\x00-\x1f\x7f]/.test(word)) throw new Error(`cannot pass ${JSON.stringify(word)} through a systemd environment file`);
  return `'${word}'`;
}

/**
 * `dir/name` for a name that came from input, refused unless it stays inside `dir`: no empty,
 * `.` or `..` segment, no absolute name. Returns the joined path.
 */
export function pathInside(dir: string, name: string): string {
  const segments = name.split('/');
  if (name.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || name.includes('\0')) {
    throw new Error(`${JSON.stringify(name)} would leave ${dir}`);
  }
  const joined = posix.join(dir, name);
  if (!joined.startsWith(`${dir.replace(/\/$/, '')}/`)) throw new Error(`${JSON.stringify(name)} would leave ${dir}`);
  return joined;
}

/** Header of every script: strict mode and a PATH that finds binaries in every layout we install to. */
export const SCRIPT_HEADER = [
  '#!/usr/bin/env bash',
  'set -euo pipefail',
  'export PATH="$PATH:/sbin:/usr/sbin:/usr/local/bin:/opt/bin"',
];

/**
 * Shell function used by scripts that install small static files: content on stdin, written
 * (through sudo, with the given mode) only when it differs; exit status 0 = changed, 1 = unchanged.
 */
export const ENSURE_FILE_FN = [
  'kubeone_ensure_file() {',
  '  local path=$1 mode=$2 tmp',
  '  tmp=$(mktemp)',
  '  cat >"$tmp"',
  '  if sudo test -f "$path" && sudo cmp -s "$tmp" "$path"; then rm -f "$tmp"; return 1; fi',
  '  sudo install -D -m "$mode" "$tmp" "$path"',
  '  rm -f "$tmp"',
  '  return 0',
  '}',
];

let heredocCounter = 0;
/** Delimiter that cannot collide with the content. */
function delimiterFor(content: string): string {
  let delimiter = 'KUBEONE_EOF';
  while (content.includes(delimiter)) delimiter = `KUBEONE_EOF_${++heredocCounter}`;
  heredocCounter = 0;
  return delimiter;
}

/**
 * Lines that install `content` at `path` when it differs, then run `onChange` lines.
 * The heredoc is quoted so nothing in the content is expanded.
 */
export function ensureFileLines(path: string, mode: string, content: string, onChange: string[] = []): string[] {
  if (!/^0[0-7]{3}$/.test(mode)) throw new Error(`not a file mode: ${JSON.stringify(mode)}`);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  const delimiter = delimiterFor(body);
  const lines = [`if kubeone_ensure_file ${shq(path)} ${mode} <<'${delimiter}'`, ...body.slice(0, -1).split('\n'), delimiter];
  if (onChange.length === 0) return [...lines, 'then :; fi'];
  return [...lines, 'then', ...onChange.map((l) => `  ${l}`), 'fi'];
}

/** Joins sections into a script with the strict header. */
export function renderScript(...sections: string[][]): string {
  return [...SCRIPT_HEADER, '', ...sections.flatMap((s) => [...s, ''])].join('\n');
}
