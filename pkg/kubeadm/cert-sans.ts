// Subject alternative names of the apiserver's serving certificate, in one canonical form for
// both sides of the comparison: what the probe reads with openssl and what the manifest asks
// for (apiEndpoint.host and alternativeNames, kubeadm's certSANs). `DNS:<lower-case name>` or
// `IP:<address>` (IPv6 compressed, lower-case), so that `FD00:0:0:0:0:0:0:1` and `fd00::1` match.
import { isIP } from 'node:net';

function canonicalIp(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** A certSANs entry as the certificate carries it: an IP SAN when it parses as an address, else a DNS SAN. */
export function sanEntry(name: string): string {
  const trimmed = name.trim();
  return isIP(trimmed) ? `IP:${canonicalIp(trimmed)}` : `DNS:${trimmed.toLowerCase()}`;
}

/**
 * openssl's `-ext subjectAltName` value (`DNS:a, IP Address:10.0.0.1, ...`, one or more lines)
 * -> sorted canonical entries; other name types (email, URI) are kept as openssl writes them.
 */
export function parseOpensslSans(text: string): string[] {
  const out = new Set<string>();
  for (const part of text.split(/[,\n]/)) {
    const item = part.trim();
    if (item === '' || item.startsWith('X509v3')) continue;
    const ip = /^IP(?: Address)?:(.+)$/.exec(item);
    if (ip) out.add(sanEntry(ip[1]!));
    else if (item.startsWith('DNS:')) out.add(`DNS:${item.slice(4).trim().toLowerCase()}`);
    else out.add(item);
  }
  return [...out].sort();
}

/** The names the manifest requires that the certificate (canonical entries) lacks, as given. */
export function missingSans(required: readonly string[], present: readonly string[]): string[] {
  const have = new Set(present);
  return required.filter((name) => name.trim() !== '' && !have.has(sanEntry(name)));
}
