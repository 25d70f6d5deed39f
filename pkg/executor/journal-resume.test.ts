import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JournalWriter, journalPath, readJournal } from '../journal/journal.js';
import { interruptedActions, nodesLeftCordoned } from '../journal/resume.js';
import { cordonEffectOf, nodeOfStep } from '../ops/registry.js';
import type { Action } from '../plan/types.js';
import { journalSkipDecider } from './effects.js';
import { execute } from './engine.js';
import { journalListener } from './journal-listener.js';
import { handlers } from './testing/handlers.js';
import { action, step } from './testing/plan-builder.js';
import type { StepHandlers } from './types.js';

const clock = { now: () => new Date(), sleep: async () => undefined };

function upgradeWorker(): Action {
  return action('upgrade-worker:w1:1.36.0', {
    hosts: ['w1'],
    steps: [
      step('node.cordon', 'w1', { node: 'w1' }),
      step('node.drain', 'w1', { node: 'w1' }),
      step('host.binaries.install', 'w1', { version: '1.36.0', components: ['kubeadm'] }, 'host.binaries.install:kubeadm'),
      step('kubeadm.upgrade.node', 'w1', { version: '1.36.0' }),
      step('node.uncordon', 'w1', { node: 'w1' }),
    ],
  });
}

function journaled(dir: string, ops: StepHandlers, plan: Action[], runId: string, skip?: ReturnType<typeof journalSkipDecider>) {
  const writer = new JournalWriter(join(dir, 'journal.jsonl'));
  const steps = new Map(plan.flatMap((a) => a.steps.map((s) => [`${a.id}/${s.id}`, s] as const)));
  const listener = journalListener(writer, 'plan-hash', (a, s) => nodeOfStep(steps.get(`${a}/${s}`)!));
  return execute(plan, { runId, ops, clock, listeners: [listener], ...(skip ? { skip } : {}) }).finally(() => writer.close());
}

describe('journal and resume', () => {
  it('journal path lives beside the manifest under .kubeone/<cluster>', () => {
    expect(journalPath('/m', 'demo')).to.equal('/m/.kubeone/demo/journal.jsonl');
  });

  it('an interrupted upgrade resumes: finished steps are not redone, the node is uncordoned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const ran: string[] = [];
    // Run 1 dies in the middle of kubeadm.upgrade.node (a thrown error stands for the crash;
    // then we drop the failure records to look exactly like SIGKILL: started, never finished).
    const crashing = handlers(
      Object.fromEntries(
        upgradeWorker().steps.map((s) => [
          s.op,
          async (ctx: { step: { op: string; id: string } }) => {
            if (ctx.step.op === 'kubeadm.upgrade.node') throw new Error('killed');
            ran.push(`run1 ${ctx.step.id}`);
          },
        ]),
      ),
    );
    await journaled(dir, crashing, [upgradeWorker()], 'run1');
    const path = join(dir, 'journal.jsonl');
    const kept = readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.includes('"failed"'));
    writeFileSync(path, `${kept.join('\n')}\n`); // the journal as a SIGKILL would have left it
    appendFileSync(path, '{"ts":"torn'); // torn last line of a killed writer

    const records = readJournal(path);
    const interrupted = interruptedActions(records);
    const entry = interrupted.get('upgrade-worker:w1:1.36.0')!;
    expect([...entry.finishedSteps]).to.deep.equal(['node.cordon', 'node.drain', 'host.binaries.install:kubeadm']);
    expect(entry.inFlightStep).to.equal('kubeadm.upgrade.node');
    expect(nodesLeftCordoned(records, cordonEffectOf)).to.deep.equal(['w1']);

    // Run 2: the node is still cordoned (effect visible), kubeadm binary already at version.
    const ops = handlers(Object.fromEntries(upgradeWorker().steps.map((s) => [s.op, async (ctx: { step: { id: string } }) => void ran.push(`run2 ${ctx.step.id}`)])));
    const skip = journalSkipDecider(interrupted, () => true);
    const summary = await journaled(dir, ops, [upgradeWorker()], 'run2', skip);
    expect(ran.filter((r) => r.startsWith('run2'))).to.deep.equal(['run2 kubeadm.upgrade.node', 'run2 node.uncordon']);
    expect(summary.stepsSkipped).to.equal(3);
    const after = readJournal(path);
    expect(interruptedActions(after).size).to.equal(0);
    expect(nodesLeftCordoned(after, cordonEffectOf)).to.deep.equal([]);
  });

  it('a verified checkpoint ends every older interruption and cordon record', () => {
    const records = [
      { ts: 't', runId: 'r1', actionId: 'a', stepId: 'node.drain', op: 'node.drain', event: 'finished' as const, node: 'w1' },
      { ts: 't', runId: 'r2', actionId: '*', stepId: '', event: 'finished' as const },
    ];
    expect(interruptedActions(records).size).to.equal(0);
    expect(nodesLeftCordoned(records, cordonEffectOf)).to.deep.equal([]);
    expect(interruptedActions(records.slice(0, 1)).size).to.equal(1);
  });

  it('a finished step whose effect is gone is run again', async () => {
    const interrupted = interruptedActions([
      { ts: 't', runId: 'r1', actionId: 'a', stepId: 'node.drain', op: 'node.drain', event: 'finished', node: 'w1' },
    ]);
    const skip = journalSkipDecider(interrupted, (s) => s.op !== 'node.drain');
    const a = action('a', { steps: [step('node.drain', 'w1', { node: 'w1' })] });
    expect(await skip(a, a.steps[0]!)).to.equal(null);
    const skip2 = journalSkipDecider(interrupted, () => true);
    expect(await skip2(a, a.steps[0]!)).to.be.a('string');
  });

});

