import { expect } from 'chai';
import { renderPlanHuman } from '../../pkg/views/plan-human.js';
import { terminalUi } from './terminal-ui.js';

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

  it('apply shows the plan through the same view as kubeone plan: change symbol, title, reason, warnings, totals', () => {
    const plan = {
      formatVersion: 'kubeone.plan/v1' as const, snapshotHash: 's', manifestHash: 'm', refusals: [], warnings: ['w1'],
      actions: [{ id: 'join-worker:w', kind: 'join-worker' as const, change: '+' as const, hosts: ['w'], title: 'join w', reason: 'no kubelet.conf on w', dependsOn: [], disruptive: false, serial: false, steps: [] }],
    };
    const out: string[] = [];
    terminalUi({ logFormat: 'human', yes: true, write: (t) => out.push(t) }).showPlan(plan);
    expect(out.join('')).to.equal(renderPlanHuman(plan));
    expect(out.join('')).to.contain('  + join w: no kubelet.conf on w').and.contain('Plan: 1 to add, 0 to change, 0 to destroy.').and.contain('Warning: w1');
    const json: string[] = [];
    terminalUi({ logFormat: 'json', yes: true, write: (t) => json.push(t) }).showPlan(plan);
    expect(JSON.parse(json.join(''))).to.deep.equal({ type: 'plan', plan });
  });
});
