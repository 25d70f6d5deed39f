import { PROVIDER_NAMES, type CloudProviderSpec, type ProviderName } from './types.js';

/** The provider keys set in cloudProvider (validation wants exactly one). */
export function providersSet(cp: CloudProviderSpec | undefined): ProviderName[] {
  if (!cp) return [];
  return PROVIDER_NAMES.filter((name) => cp[name] !== undefined);
}

/** The single provider in use, or undefined when none or several are set. */
export function providerName(cp: CloudProviderSpec | undefined): ProviderName | undefined {
  const set = providersSet(cp);
  return set.length === 1 ? set[0] : undefined;
}

export function ipFamilyHasIPv4(family: string | undefined): boolean {
  return family === undefined || family === 'IPv4' || family === 'IPv4+IPv6' || family === 'IPv6+IPv4';
}
export function ipFamilyHasIPv6(family: string | undefined): boolean {
  return family === 'IPv6' || family === 'IPv4+IPv6' || family === 'IPv6+IPv4';
}
