// Go time.Duration text, as Kubernetes configuration carries it (metav1.Duration). KubeOne
// passes durations through Go, so they come out in Duration.String() form ("2m" -> "2m0s").
const NS_PER: Record<string, bigint> = { ns: 1n, us: 1_000n, 'µs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Nanoseconds of a Go duration string; undefined when it is not one. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text.trim();
  if (s === '0') return 0n;
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1);
  }
  if (s === '') return undefined;
  const re = /(\d*)(?:\.(\d*))?(ns|us|µs|ms|s|m|h)/y;
  let total = 0n;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = NS_PER[m[3]!]!;
    const frac = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    pos = re.lastIndex;
  }
  return sign * total;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  let rest = (value % unit).toString().padStart(unit.toString().length - 1, '0').replace(/0+$/, '');
  if (rest !== '') rest = `.${rest}`;
  return `${whole}${rest}`;
}

/** Go's Duration.String(): 0s, 1.5µs, 500ms, 2m0s, 8760h0m0s. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const v = ns < 0n ? -ns : ns;
  if (v < NS_PER.us!) return `${sign}${v}ns`;
  if (v < NS_PER.ms!) return `${sign}${fraction(v, NS_PER.us!)}µs`;
  if (v < NS_PER.s!) return `${sign}${fraction(v, NS_PER.ms!)}ms`;
  const h = v / NS_PER.h!;
  const m = (v % NS_PER.h!) / NS_PER.m!;
  const s = fraction(v % NS_PER.m!, NS_PER.s!);
  if (h > 0n) return `${sign}${h}h${m}m${s}s`;
  if (m > 0n) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

/** A manifest duration in Go's canonical form; unparsable text is passed through for kubeadm to reject. */
export function canonicalDuration(text: string): string {
  const ns = parseGoDuration(text);
  return ns === undefined ? text : formatGoDuration(ns);
}

/** Unset or zero: the component's own default applies. */
export function isZeroDuration(text: string | undefined): boolean {
  return text === undefined || text === '' || parseGoDuration(text) === 0n;
}
