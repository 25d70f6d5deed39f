import { expect } from 'chai';
import { jsonProgressListener } from './progress-json.js';
import { TtyProgress } from './progress-tty.js';
import type { ExecutorEvent } from '../executor/types.js';

const base = { ts: '2026-01-01T00:00:00.000Z', runId: 'r1' };
const events: ExecutorEvent[] = [
  { ...base, type: 'run-started', totalSteps: 2 },
  { ...base, type: 'step-started', actionId: 'a', stepId: 'kubeadm.join', host: 'w1', description: 'join worker w1' },
  { ...base, type: 'step-finished', actionId: 'a', stepId: 'kubeadm.join', host: 'w1', description: 'join worker w1', durationMs: 1500 },
  { ...base, type: 'step-failed', actionId: 'b', stepId: 'node.drain', host: 'w2', error: 'w2: unreachable' },
];

describe('progress views', () => {
  it('json: one parseable event per line with action, step, host, duration', () => {
    const out: string[] = [];
    const l = jsonProgressListener((s) => out.push(s));
    events.forEach(l);
    expect(out).to.have.length(4);
    expect(out.every((s) => s.endsWith('\n') && s.split('\n').length === 2)).to.equal(true);
    expect(JSON.parse(out[2]!)).to.deep.equal({ type: 'step-finished', ts: base.ts, runId: 'r1', action: 'a', step: 'kubeadm.join', host: 'w1', durationMs: 1500 });
  });

  it('tty: a line per host and a done/total counter', () => {
    let screen = '';
    const view = new TtyProgress((s) => (screen += s), false);
    events.forEach(view.listener);
    const last = screen.split('\x1b[J').pop()!;
    expect(last).to.contain('+ w1    done: join worker w1').and.contain('x w2    failed: node.drain').and.contain('1/2 steps');
    expect(screen).to.contain('error w2: node.drain: w2: unreachable');
  });
});
