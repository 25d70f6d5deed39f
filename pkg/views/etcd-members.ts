// `kubeone etcd members`: KubeOne's columns and JSON, from the member list and the alarms.

import type { EtcdAlarm, EtcdMember } from '../etcd/gateway.js';

export interface EtcdMemberRow extends EtcdMember {
  alarms: string[];
}

export function membersWithAlarms(members: EtcdMember[], alarms: EtcdAlarm[]): EtcdMemberRow[] {
  return members.map((m) => ({ ...m, alarms: alarms.filter((a) => a.memberId === m.id).map((a) => a.alarm) }));
}

/** Go's %v of a string slice: `[a b]`. */
const goList = (items: string[]): string => `[${items.join(' ')}]`;

/** Go's text/tabwriter as KubeOne sets it up (min width 6, padding 2, spaces). */
function tabwrite(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(6, ...rows.map((r) => r[i]!.length + 2)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('')).join('\n') + '\n';
}

export function formatEtcdMembers(rows: EtcdMemberRow[], output: 'table' | 'json'): string {
  if (output === 'json') {
    if (rows.length === 0) return 'null\n';
    // KubeOne encodes the uint64 ID as a JSON number: written out as digits, never through a float.
    const items = rows.map((m) => {
      const rest = JSON.stringify({ Name: m.name, PeerURLs: m.peerURLs, ClientURLs: m.clientURLs, IsLearner: m.isLearner, Alarms: m.alarms }, null, 2)
        .split('\n')
        .slice(1, -1)
        .map((l) => `  ${l}`);
      const id = /^\d+$/.test(m.id) ? m.id : '0';
      return ['  {', `    "ID": ${id},`, ...rest, '  }'].join('\n');
    });
    return `[\n${items.join(',\n')}\n]\n`;
  }
  return tabwrite([
    ['ID', 'NAME', 'PEER-URLS', 'CLIENT-URLS', 'IS-LEARNER', 'ALARMS'],
    ...rows.map((m) => [m.id, m.name, goList(m.peerURLs), goList(m.clientURLs), String(m.isLearner), goList(m.alarms)]),
  ]);
}
