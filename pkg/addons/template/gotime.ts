// Go's time package as sprig's date functions use it: time.Time values, Format/Parse with Go's
// reference layout (Mon Jan 2 15:04:05 MST 2006), Duration parsing and printing.
import { GoTime, type GoValue, type Method, Scalar, int64 } from './values.js';

/** Milliseconds since the epoch of a UTC wall-clock time (years below 100 too, unlike Date.UTC). */
export function utcMs(y: number, mon: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mon - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** time.Time{}: January 1, year 1, 00:00:00 UTC. */
export const ZERO_TIME = new GoTime(utcMs(1, 1, 1), 0, 0, 'UTC');

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// ------------------------------------------------------------------------------ zones

/** Offset (minutes east of UTC) and abbreviation of an IANA zone at an instant; undefined for an unknown zone. */
function zoneAt(zone: string, ms: number): { offset: number; abbr: string } | undefined {
  if (zone === 'UTC' || zone === '') return { offset: 0, abbr: 'UTC' };
  const tz = zone === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(ms));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    const shortParts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(new Date(ms));
    let abbr = shortParts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
    if (/^GMT[+-]/.test(abbr) || abbr === 'GMT') abbr = offset === 0 && (tz === 'UTC' || tz === 'Etc/UTC') ? 'UTC' : formatOffsetAbbr(offset);
    if (tz === 'UTC' || tz === 'Etc/UTC') abbr = 'UTC';
    return { offset, abbr };
  } catch {
    return undefined;
  }
}

function formatOffsetAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 60)).padStart(2, '0');
  const m = a % 60;
  return m ? `${sign}${h}${String(m).padStart(2, '0')}` : `${sign}${h}`;
}

/** The same instant in another zone (time.Time.In); undefined for an unknown zone. */
export function inZone(t: GoTime, zone: string): GoTime | undefined {
  const z = zoneAt(zone, t.ms);
  if (!z) return undefined;
  return new GoTime(t.ms, t.nanos, z.offset, z.abbr);
}

export function now(): GoTime {
  const ms = Date.now();
  const z = zoneAt('Local', ms)!;
  return new GoTime(ms, 0, z.offset, z.abbr);
}

export function fromUnix(seconds: number, zone = 'Local'): GoTime {
  return inZone(new GoTime(seconds * 1000), zone) ?? new GoTime(seconds * 1000);
}

// ------------------------------------------------------------------------------ fields

interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number;
  yday: number;
}

function fields(t: GoTime): Fields {
  const d = new Date(t.ms + t.offsetMinutes * 60_000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos: d.getUTCMilliseconds() * 1_000_000 + t.nanos,
    weekday: d.getUTCDay(),
    yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - start) / 86_400_000) + 1,
  };
}

// ------------------------------------------------------------------------------ layout

const STD_CHUNKS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST',
  // Longest first, as Go's nextStdChunk decides: "15" before "1", "002" before "02", "2006" before "2".
  '2006', '15', '002', '01', '02', '03', '04', '05', '06', '__2', '_2', '1', '2', '3', '4', '5', 'PM', 'pm',
  '-07:00:00', '-0700', '-07:00', '-070000', '-07',
  'Z07:00:00', 'Z0700', 'Z07:00', 'Z070000', 'Z07',
];

/** Splits a Go layout into literal text and std chunks (as time's nextStdChunk). */
function chunks(layout: string): { std: string | null; text: string }[] {
  const out: { std: string | null; text: string }[] = [];
  let lit = '';
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    // fractional seconds: .000 / .999 / ,000 / ,999 right after a seconds field
    const frac = /^[.,](0+|9+)(?!\d)/.exec(rest);
    if (frac && /(05|5)$/.test(layout.slice(0, i))) {
      if (lit) out.push({ std: null, text: lit });
      lit = '';
      out.push({ std: frac[0], text: frac[0] });
      i += frac[0].length;
      continue;
    }
    const std = STD_CHUNKS.find((c) => {
      if (!rest.startsWith(c)) return false;
      // "Jan" only when not followed by a lower-case letter (January handled first); "Mon" likewise.
      if ((c === 'Jan' || c === 'Mon') && /^[a-z]/.test(rest.slice(c.length))) return false;
      if (c === '2006' || c === '02' || c === '2' || c === '1' || c === '01') return true;
      return true;
    });
    if (std) {
      if (lit) out.push({ std: null, text: lit });
      lit = '';
      out.push({ std, text: std });
      i += std.length;
    } else {
      lit += layout[i];
      i++;
    }
  }
  if (lit) out.push({ std: null, text: lit });
  return out;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function zoneOffset(offsetMin: number, std: string): string {
  if (std.startsWith('Z') && offsetMin === 0) return 'Z';
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  const hh = pad2(Math.floor(a / 60));
  const mm = pad2(a % 60);
  const body = std.replace(/^Z/, '-');
  switch (body) {
    case '-07':
      return `${sign}${hh}`;
    case '-0700':
      return `${sign}${hh}${mm}`;
    case '-07:00':
      return `${sign}${hh}:${mm}`;
    case '-070000':
      return `${sign}${hh}${mm}00`;
    case '-07:00:00':
      return `${sign}${hh}:${mm}:00`;
  }
  return '';
}

/** time.Time.Format(layout). */
export function formatTime(t: GoTime, layout: string): string {
  const f = fields(t);
  let out = '';
  for (const c of chunks(layout)) {
    if (!c.std) {
      out += c.text;
      continue;
    }
    const s = c.std;
    if (/^[.,]/.test(s)) {
      const digits = s.length - 1;
      const ns = String(f.nanos).padStart(9, '0').slice(0, digits);
      if (s[1] === '0') out += s[0] + ns;
      else {
        const trimmed = ns.replace(/0+$/, '');
        if (trimmed) out += s[0] + trimmed;
      }
      continue;
    }
    switch (s) {
      case 'January':
        out += LONG_MONTHS[f.month - 1];
        break;
      case 'Jan':
        out += LONG_MONTHS[f.month - 1]!.slice(0, 3);
        break;
      case 'Monday':
        out += LONG_DAYS[f.weekday];
        break;
      case 'Mon':
        out += LONG_DAYS[f.weekday]!.slice(0, 3);
        break;
      case 'MST':
        out += t.zone;
        break;
      case '2006':
        out += String(f.year).padStart(4, '0');
        break;
      case '06':
        out += pad2(f.year % 100);
        break;
      case '01':
        out += pad2(f.month);
        break;
      case '1':
        out += String(f.month);
        break;
      case '002':
        out += String(f.yday).padStart(3, '0');
        break;
      case '__2':
        out += String(f.yday).padStart(3, ' ');
        break;
      case '_2':
        out += String(f.day).padStart(2, ' ');
        break;
      case '02':
        out += pad2(f.day);
        break;
      case '2':
        out += String(f.day);
        break;
      case '15':
        out += pad2(f.hour);
        break;
      case '03':
        out += pad2(f.hour % 12 === 0 ? 12 : f.hour % 12);
        break;
      case '3':
        out += String(f.hour % 12 === 0 ? 12 : f.hour % 12);
        break;
      case '04':
        out += pad2(f.minute);
        break;
      case '4':
        out += String(f.minute);
        break;
      case '05':
        out += pad2(f.second);
        break;
      case '5':
        out += String(f.second);
        break;
      case 'PM':
        out += f.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += f.hour >= 12 ? 'pm' : 'am';
        break;
      default:
        out += zoneOffset(t.offsetMinutes, s);
    }
  }
  return out;
}

/** time.Time.String(). */
export function goTimeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** time.ParseInLocation(layout, value, loc); throws Go's parse error text. */
export function parseTime(layout: string, value: string, zone = 'Local'): GoTime {
  let rest = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let zoneName: string | undefined;
  const fail = (elem: string): never => {
    throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`);
  };
  const num = (min: number, max: number, elem: string): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) fail(elem);
    rest = rest.slice(m![0].length);
    return Number(m![0]);
  };
  for (const c of chunks(layout)) {
    if (!c.std) {
      if (!rest.startsWith(c.text)) fail(c.text);
      rest = rest.slice(c.text.length);
      continue;
    }
    const s = c.std;
    if (/^[.,]/.test(s)) {
      const m = /^[.,](\d+)/.exec(rest);
      if (m) {
        nanos = Number(m[1]!.padEnd(9, '0').slice(0, 9));
        rest = rest.slice(m[0].length);
      } else if (s[1] === '0') fail(s);
      continue;
    }
    switch (s) {
      case 'January':
      case 'Jan': {
        const names = s === 'January' ? LONG_MONTHS : LONG_MONTHS.map((n) => n.slice(0, 3));
        const i = names.findIndex((n) => rest.toLowerCase().startsWith(n.toLowerCase()));
        if (i < 0) fail(s);
        month = i + 1;
        rest = rest.slice(names[i]!.length);
        break;
      }
      case 'Monday':
      case 'Mon': {
        const names = s === 'Monday' ? LONG_DAYS : LONG_DAYS.map((n) => n.slice(0, 3));
        const i = names.findIndex((n) => rest.toLowerCase().startsWith(n.toLowerCase()));
        if (i < 0) fail(s);
        rest = rest.slice(names[i]!.length);
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}|^[+-]\d+/.exec(rest);
        if (!m) fail(s);
        zoneName = m![0];
        rest = rest.slice(m![0].length);
        if (zoneName === 'UTC' || zoneName === 'GMT') offset = 0;
        break;
      }
      case '2006':
        year = num(4, 4, s);
        break;
      case '06':
        year = num(2, 2, s);
        year += year >= 69 ? 1900 : 2000;
        break;
      case '01':
        month = num(2, 2, s);
        break;
      case '1':
        month = num(1, 2, s);
        break;
      case '02':
        day = num(2, 2, s);
        break;
      case '_2':
        if (rest.startsWith(' ')) rest = rest.slice(1);
        day = num(1, 2, s);
        break;
      case '2':
        day = num(1, 2, s);
        break;
      case '002':
      case '__2':
        num(1, 3, s);
        break;
      case '15':
        hour = num(2, 2, s);
        break;
      case '03':
        hour = num(2, 2, s);
        break;
      case '3':
        hour = num(1, 2, s);
        break;
      case '04':
        minute = num(2, 2, s);
        break;
      case '4':
        minute = num(1, 2, s);
        break;
      case '05':
        second = num(2, 2, s);
        break;
      case '5':
        second = num(1, 2, s);
        break;
      case 'PM':
      case 'pm': {
        const m = /^(AM|PM|am|pm)/.exec(rest);
        if (!m) fail(s);
        pm = m![0].toLowerCase() === 'pm';
        rest = rest.slice(2);
        break;
      }
      default: {
        if (s.startsWith('Z') && rest.startsWith('Z')) {
          offset = 0;
          rest = rest.slice(1);
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(rest);
        if (!m) fail(s);
        offset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 60 + Number(m![3] ?? 0));
        rest = rest.slice(m![0].length);
      }
    }
  }
  if (rest) throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (day < 1 || day > 31) throw new Error(`parsing time ${JSON.stringify(value)}: day out of range`);
  const wall = utcMs(year, month, day, hour, minute, second);
  if (offset !== undefined) {
    const ms = wall - offset * 60_000;
    return new GoTime(ms + Math.floor(nanos / 1e6), nanos % 1e6, offset, zoneName ?? (offset === 0 ? 'UTC' : formatOffsetAbbr(offset)));
  }
  // Wall clock in the given zone: find the instant whose local time is `wall`.
  let ms = wall;
  for (let i = 0; i < 2; i++) {
    const z = zoneAt(zone, ms) ?? { offset: 0, abbr: 'UTC' };
    ms = wall - z.offset * 60_000;
  }
  const z = zoneAt(zone, ms) ?? { offset: 0, abbr: 'UTC' };
  return new GoTime(ms + Math.floor(nanos / 1e6), nanos % 1e6, z.offset, z.abbr);
}

export function unixSeconds(t: GoTime): number {
  return Math.floor(t.ms / 1000);
}

export function addDuration(t: GoTime, nanos: number): GoTime {
  const total = t.nanos + nanos;
  const extraMs = Math.floor(total / 1e6);
  return new GoTime(t.ms + extraMs, total - extraMs * 1e6, t.offsetMinutes, t.zone);
}

// ------------------------------------------------------------------------------ durations

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration: nanoseconds; throws Go's message. */
export function parseDuration(s: string): number {
  const orig = s;
  const bad = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  };
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') bad();
  let total = 0;
  while (s) {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (!m[0] || m[0] === '.') bad();
    s = s.slice(m[0].length);
    const u = /^(ns|us|µs|μs|ms|s|m|h)/.exec(s);
    if (!u) throw new Error(u === null && s === '' ? `time: missing unit in duration ${JSON.stringify(orig)}` : `time: unknown unit ${JSON.stringify(/^[^\d.]*/.exec(s)![0])} in duration ${JSON.stringify(orig)}`);
    s = s.slice(u[0].length);
    const unit = UNITS[u[0]]!;
    total += Number(m[1] || '0') * unit + (m[2] ? Number(`0.${m[2]}`) * unit : 0);
  }
  return Math.round(neg ? -total : total);
}

function fmtFrac(v: number, prec: number): { frac: string; rest: number } {
  // v in units of 10^-prec; returns the fractional digits without trailing zeros
  let digits = '';
  let print = false;
  let r = v;
  for (let i = 0; i < prec; i++) {
    const d = r % 10;
    print = print || d !== 0;
    if (print) digits = String(d) + digits;
    r = Math.floor(r / 10);
  }
  return { frac: print ? `.${digits}` : '', rest: r };
}

/** time.Duration.String(). */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let u = Math.abs(Math.round(nanos));
  let out: string;
  if (u < 1e9) {
    let prec: number;
    let unit: string;
    if (u < 1e3) return `${neg ? '-' : ''}${u}ns`;
    if (u < 1e6) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const { frac, rest } = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const { frac, rest } = fmtFrac(u, 9);
    u = rest;
    out = `${u % 60}${frac}s`;
    u = Math.floor(u / 60);
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return (neg ? '-' : '') + out;
}

const MONTH_TYPE = 'time.Month';
const WEEKDAY_TYPE = 'time.Weekday';

function t(v: GoValue): GoTime {
  return v as GoTime;
}

/** Methods of time.Time that templates can call. */
export const TIME_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['Format', { params: ['string'], call: (r, [layout]) => formatTime(t(r), layout as string) }],
  ['String', { params: [], call: (r) => goTimeString(t(r)) }],
  ['Unix', { params: [], call: (r) => int64(unixSeconds(t(r))) }],
  ['UnixMilli', { params: [], call: (r) => int64(t(r).ms) }],
  ['UnixNano', { params: [], call: (r) => int64(t(r).ms * 1e6 + t(r).nanos) }],
  ['Year', { params: [], call: (r) => Number(formatTime(t(r), '2006')) }],
  ['Month', { params: [], call: (r) => new Scalar(MONTH_TYPE, 'int', Number(formatTime(t(r), '1'))) }],
  ['Day', { params: [], call: (r) => Number(formatTime(t(r), '2')) }],
  ['Hour', { params: [], call: (r) => Number(formatTime(t(r), '15')) }],
  ['Minute', { params: [], call: (r) => Number(formatTime(t(r), '4')) }],
  ['Second', { params: [], call: (r) => Number(formatTime(t(r), '5')) }],
  ['Nanosecond', { params: [], call: (r) => Math.floor((t(r).ms % 1000) * 1e6 + t(r).nanos) }],
  ['YearDay', { params: [], call: (r) => Number(formatTime(t(r), '002')) }],
  ['Weekday', { params: [], call: (r) => new Scalar(WEEKDAY_TYPE, 'int', new Date(t(r).ms + t(r).offsetMinutes * 60_000).getUTCDay()) }],
  ['UTC', { params: [], call: (r) => inZone(t(r), 'UTC')! }],
  ['Local', { params: [], call: (r) => inZone(t(r), 'Local')! }],
  ['IsZero', { params: [], call: (r) => t(r).ms === ZERO_TIME.ms && t(r).nanos === 0 }],
  ['Before', { params: ['time.Time'], call: (r, [o]) => t(r).ms * 1e6 + t(r).nanos < t(o!).ms * 1e6 + t(o!).nanos }],
  ['After', { params: ['time.Time'], call: (r, [o]) => t(r).ms * 1e6 + t(r).nanos > t(o!).ms * 1e6 + t(o!).nanos }],
  ['Equal', { params: ['time.Time'], call: (r, [o]) => t(r).ms === t(o!).ms && t(r).nanos === t(o!).nanos }],
]);

/** Names of time.Month and time.Weekday values (their String methods). */
export function timeEnumString(v: Scalar): string | undefined {
  if (v.type === MONTH_TYPE) return LONG_MONTHS[(v.value as number) - 1];
  if (v.type === WEEKDAY_TYPE) return LONG_DAYS[v.value as number];
  return undefined;
}
