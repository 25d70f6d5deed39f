// sprig's date functions (date.go) over Go's time semantics (gotime.ts).
import type { FuncDef } from '../exec.js';
import { ZERO_TIME, addDuration, formatDuration, formatTime, fromUnix, inZone, now, parseDuration, parseTime, unixSeconds } from '../gotime.js';
import { ANY, GoTime, type GoValue, Scalar } from '../values.js';

const S = 'string';
const T = 'time.Time';

/** A date argument: time.Time, or seconds since the epoch as int, int32 or int64; anything else is now. */
function toTime(v: GoValue, acceptInt32 = true): GoTime {
  if (v instanceof GoTime) return v;
  if (typeof v === 'number') return fromUnix(v);
  if (v instanceof Scalar && (v.type === 'int64' || (acceptInt32 && v.type === 'int32'))) return fromUnix(v.value as number);
  return now();
}

function dateInZone(fmt: string, date: GoValue, zone: string): string {
  const t = toTime(date);
  const z = inZone(t, zone) ?? inZone(t, 'UTC')!;
  return formatTime(z, fmt);
}

function durationRound(v: GoValue): string {
  let d = 0;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0;
    }
  } else if (v instanceof Scalar && v.type === 'int64') d = v.value as number;
  else if (v instanceof GoTime) d = Date.now() * 1e6 - (v.ms * 1e6 + v.nanos);
  const u = Math.abs(d);
  const second = 1e9;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;
  const month = 30 * day;
  const year = 365 * day;
  if (u > year) return `${Math.floor(u / year)}y`;
  if (u > month) return `${Math.floor(u / month)}mo`;
  if (u > day) return `${Math.floor(u / day)}d`;
  if (u > hour) return `${Math.floor(u / hour)}h`;
  if (u > minute) return `${Math.floor(u / minute)}m`;
  if (u > second) return `${Math.floor(u / second)}s`;
  return '0s';
}

function dateModify(fmt: string, date: GoValue, must: boolean): GoTime {
  let d: number;
  try {
    d = parseDuration(fmt);
  } catch (e) {
    if (must) throw e;
    return date as GoTime;
  }
  return addDuration(date as GoTime, d);
}

export const dateFuncs: [string, FuncDef][] = [
  ['now', { params: [], fn: () => now() }],
  ['date', { params: [S, ANY], raw: true, fn: (f, d) => dateInZone(f as string, d, 'Local') }],
  ['dateInZone', { params: [S, ANY, S], raw: true, fn: (f, d, z) => dateInZone(f as string, d, z as string) }],
  ['date_in_zone', { params: [S, ANY, S], raw: true, fn: (f, d, z) => dateInZone(f as string, d, z as string) }],
  ['htmlDate', { params: [ANY], raw: true, fn: (d) => dateInZone('2006-01-02', d, 'Local') }],
  ['htmlDateInZone', { params: [ANY, S], raw: true, fn: (d, z) => dateInZone('2006-01-02', d, z as string) }],
  ['dateModify', { params: [S, T], fn: (f, d) => dateModify(f as string, d, false) }],
  ['date_modify', { params: [S, T], fn: (f, d) => dateModify(f as string, d, false) }],
  ['mustDateModify', { params: [S, T], fn: (f, d) => dateModify(f as string, d, true) }],
  ['must_date_modify', { params: [S, T], fn: (f, d) => dateModify(f as string, d, true) }],
  ['ago', { params: [ANY], raw: true, fn: (d) => {
    const t = d instanceof GoTime || typeof d === 'number' || (d instanceof Scalar && d.type === 'int64') ? toTime(d, false) : now();
    const ns = Date.now() * 1e6 - (t.ms * 1e6 + t.nanos);
    return formatDuration(Math.round(ns / 1e9) * 1e9);
  } }],
  ['duration', { params: [ANY], raw: true, fn: (v) => {
    let n = 0;
    if (typeof v === 'string') n = /^[+-]?\d+$/.test(v) ? Number.parseInt(v, 10) : 0;
    else if (v instanceof Scalar && v.type === 'int64') n = v.value as number;
    return formatDuration(n * 1e9);
  } }],
  ['durationRound', { params: [ANY], raw: true, fn: (v) => durationRound(v) }],
  ['toDate', { params: [S, S], fn: (f, s) => {
    try {
      return parseTime(f as string, s as string, 'Local');
    } catch {
      return ZERO_TIME;
    }
  } }],
  ['mustToDate', { params: [S, S], fn: (f, s) => parseTime(f as string, s as string, 'Local') }],
  ['unixEpoch', { params: [T], fn: (d) => String(unixSeconds(d as GoTime)) }],
];

