import { expect } from 'chai';
import { planText, terminalUi } from './terminal-ui.js';

describe('terminal UI', () => {
  it('refuses to ask for confirmation without a terminal (use -y)', async () => {
    const isTTY = process.stdin.isTTY;
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    try {
      const err = await terminalUi({ logFormat: 'human', yes: false }).confirm('go?').catch((e: Error) => e);
      expect((err as Error).message).to.contain('pass -y');
    } finally {
      Object.defineProperty(process.stdin, 'isTTY', { value: isTTY, configurable: true });
    }
  });

  it('plan text: change symbol, title, reason, totals', () => {
    const text = planText({
      formatVersion: 'kubeone.plan/v1', snapshotHash: 's', manifestHash: 'm', refusals: [], warnings: ['w1'],
      actions: [{ id: 'a', kind: 'join-worker', change: '+', hosts: ['w'], title: 'join w', reason: 'no kubelet.conf on w', dependsOn: [], disruptive: false, serial: false, steps: [] }],
    });
    expect(text).to.contain('  + join w\n      because no kubelet.conf on w').and.contain('Plan: 1 to add, 0 to change, 0 to remove.').and.contain('warning: w1');
  });
});
