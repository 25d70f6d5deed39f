import { expect } from 'chai';
import { formatEtcdMembers, membersWithAlarms } from './etcd-members.js';

describe('etcd members view (KubeOne columns)', () => {
  const rows = membersWithAlarms(
    [
      { id: '18446744073709551615', name: 'cp-1', peerURLs: ['https://10.0.0.1:2380'], clientURLs: ['https://10.0.0.1:2379', 'https://127.0.0.1:2379'], isLearner: false },
      { id: '42', name: 'cp-2', peerURLs: ['https://10.0.0.2:2380'], clientURLs: [], isLearner: true },
    ],
    [{ memberId: '42', alarm: 'NOSPACE' }, { memberId: '42', alarm: 'CORRUPT' }],
  );

  it('table: the header, Go list formatting, tabwriter padding 2', () => {
    expect(formatEtcdMembers(rows, 'table')).to.equal(
      [
        'ID                    NAME  PEER-URLS                CLIENT-URLS                                     IS-LEARNER  ALARMS',
        '18446744073709551615  cp-1  [https://10.0.0.1:2380]  [https://10.0.0.1:2379 https://127.0.0.1:2379]  false       []',
        '42                    cp-2  [https://10.0.0.2:2380]  []                                              true        [NOSPACE CORRUPT]',
        '',
      ].join('\n'),
    );
  });

  it('json: KubeOne fields; the uint64 ID as exact digits', () => {
    const text = formatEtcdMembers(rows, 'json');
    expect(text).to.contain('"ID": 18446744073709551615,');
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(parsed[1]).to.deep.equal({ ID: 42, Name: 'cp-2', PeerURLs: ['https://10.0.0.2:2380'], ClientURLs: [], IsLearner: true, Alarms: ['NOSPACE', 'CORRUPT'] });
  });
});
