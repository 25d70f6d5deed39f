import type { Issue } from '../errors.js';
import { joinPath } from '../path.js';

/** Collects issues under a path prefix. */
export class Issues {
  readonly list: Issue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

export { joinPath };

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);

export function isDNS1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Go time.ParseDuration syntax: `300ms`, `1h30m`, `-1.5h`. */
export function isGoDuration(value: string): boolean {
  return value === '0' || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(value);
}
