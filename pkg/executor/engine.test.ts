import { expect } from 'chai';
import { SshError } from '../ssh/types.js';
import { execute } from './engine.js';
import { handlers } from './testing/handlers.js';
import { action, step } from './testing/plan-builder.js';
import type { Clock, ExecutorEvent, StepContext } from './types.js';

const instantClock: Clock = { now: () => new Date(), sleep: async () => undefined };
const tick = () => new Promise((r) => setTimeout(r, 5));

/** Records start/end order and concurrency per action. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const op = async (ctx: StepContext) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    log.push(`start ${ctx.action.id}`);
    await tick();
    log.push(`end ${ctx.action.id}`);
    running--;
  };
  return { log, op, max: () => maxRunning };
}

describe('executor engine', () => {
  it('runs actions in dependency order', async () => {
    const r = recorder();
    const plan = [
      action('b', { dependsOn: ['a'], steps: [step('host.prerequisites', 'h2')] }),
      action('a', { steps: [step('host.prerequisites', 'h1')] }),
    ];
    const s = await execute(plan, { runId: 'r', ops: handlers({ 'host.prerequisites': r.op }), clock: instantClock, parallelism: 5 });
    expect(r.log).to.deep.equal(['start a', 'end a', 'start b', 'end b']);
    expect(s.completed).to.deep.equal(['a', 'b']);
  });

  it('runs serial (control-plane) actions one at a time and workers up to --parallelism', async () => {
    const cp = recorder();
    const w = recorder();
    const plan = [
      action('cp1', { serial: true, hosts: ['cp1'], steps: [step('kubeadm.join', 'cp1')] }),
      action('cp2', { serial: true, hosts: ['cp2'], steps: [step('kubeadm.join', 'cp2')] }),
      ...['w1', 'w2', 'w3', 'w4'].map((h) => action(h, { hosts: [h], steps: [step('host.prerequisites', h)] })),
    ];
    const s = await execute(plan, { runId: 'r', ops: handlers({ 'kubeadm.join': cp.op, 'host.prerequisites': w.op }), clock: instantClock, parallelism: 2 });
    expect(cp.max()).to.equal(1);
    expect(w.max()).to.equal(2);
    expect(s.completed).to.have.length(6);
  });

  it('never runs two actions on the same host at once', async () => {
    const r = recorder();
    const plan = ['x', 'y', 'z'].map((id) => action(id, { hosts: ['same'], steps: [step('host.prerequisites', 'same')] }));
    await execute(plan, { runId: 'r', ops: handlers({ 'host.prerequisites': r.op }), clock: instantClock, parallelism: 3 });
    expect(r.max()).to.equal(1);
  });

  it('a permanent failure blocks dependents only; independent actions finish; the summary says what remains', async () => {
    const ran: string[] = [];
    const ops = handlers({
      'host.prerequisites': async (ctx) => {
        ran.push(ctx.action.id);
        if (ctx.action.id === 'bad') throw new SshError('w1', 'commandFailed', 'script exited 1');
      },
    });
    const plan = [
      action('bad', { hosts: ['w1'], steps: [step('host.prerequisites', 'w1')] }),
      action('after-bad', { dependsOn: ['bad'], steps: [step('host.prerequisites', 'w1')] }),
      action('after-after', { dependsOn: ['after-bad'], steps: [step('host.prerequisites')] }),
      action('independent', { hosts: ['w2'], steps: [step('host.prerequisites', 'w2')] }),
    ];
    const events: ExecutorEvent[] = [];
    const s = await execute(plan, { runId: 'r', ops, clock: instantClock, listeners: [(e) => events.push(e)] });
    expect(ran).to.have.members(['bad', 'independent']);
    expect(s.completed).to.deep.equal(['independent']);
    expect(s.failed).to.have.length(1);
    expect(s.failed[0]).to.include({ actionId: 'bad', host: 'w1' });
    expect(s.failed[0]!.error).to.contain('w1: script exited 1');
    expect(s.blocked.map((b) => b.actionId)).to.have.members(['after-bad', 'after-after']);
    expect(events.filter((e) => e.type === 'step-retry')).to.have.length(0);
    expect(events.at(-1)!.type).to.equal('run-finished');
  });

  it('retries transient SSH failures with backoff, then succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const clock: Clock = { now: () => new Date(), sleep: async (ms) => void delays.push(ms) };
    const ops = handlers({
      'host.prerequisites': async () => {
        if (++calls < 3) throw new SshError('w1', 'unreachable', 'connection lost');
      },
    });
    const events: ExecutorEvent[] = [];
    const s = await execute([action('a', { steps: [step('host.prerequisites', 'w1')] })], {
      runId: 'r',
      ops,
      clock,
      retry: { attempts: 5, baseDelayMs: 100, factor: 2, maxDelayMs: 1000 },
      listeners: [(e) => events.push(e)],
    });
    expect(calls).to.equal(3);
    expect(delays).to.deep.equal([100, 200]);
    expect(events.filter((e) => e.type === 'step-retry').map((e) => e.attempt)).to.deep.equal([1, 2]);
    expect(s.completed).to.deep.equal(['a']);
  });

  it('gives up on a transient failure after the last attempt', async () => {
    let calls = 0;
    const ops = handlers({
      'host.prerequisites': async () => {
        calls++;
        throw new SshError('w1', 'timeout', 'timed out');
      },
    });
    const s = await execute([action('a', { steps: [step('host.prerequisites', 'w1')] })], {
      runId: 'r',
      ops,
      clock: instantClock,
      retry: { attempts: 3, baseDelayMs: 1, factor: 1, maxDelayMs: 1 },
    });
    expect(calls).to.equal(3);
    expect(s.failed[0]!.error).to.contain('timed out');
  });

  it('skips steps the skip decider reports done, and runs the rest', async () => {
    const ran: string[] = [];
    const ops = handlers({
      'node.drain': async (ctx) => void ran.push(ctx.step.id),
      'node.uncordon': async (ctx) => void ran.push(ctx.step.id),
    });
    const plan = [action('up', { steps: [step('node.drain', 'w1'), step('node.uncordon', 'w1')] })];
    const s = await execute(plan, {
      runId: 'r',
      ops,
      clock: instantClock,
      skip: async (_a, st) => (st.op === 'node.drain' ? 'done before' : null),
    });
    expect(ran).to.deep.equal(['node.uncordon']);
    expect(s.stepsSkipped).to.equal(1);
    expect(s.stepsRun).to.equal(1);
  });

  it('sets and clears an in-flight marker around steps that change a host, and redacts secrets', async () => {
    const markers: string[] = [];
    const ops = handlers({
      'kubeadm.join': async () => {
        throw new Error('join failed with token abcdef.0123456789abcdef');
      },
      'node.waitReady': async () => undefined,
    });
    const events: ExecutorEvent[] = [];
    await execute(
      [action('j', { steps: [step('node.waitReady', 'w1'), step('kubeadm.join', 'w1')] })],
      {
        runId: 'r',
        ops,
        clock: instantClock,
        markers: { set: async (h, m) => void markers.push(`set ${h} ${m.step}`), clear: async (h) => void markers.push(`clear ${h}`) },
        redact: () => ['abcdef.0123456789abcdef'],
        listeners: [(e) => events.push(e)],
      },
    );
    expect(markers).to.deep.equal(['set w1 kubeadm.join', 'clear w1']);
    const failed = events.find((e) => e.type === 'step-failed')!;
    expect(failed.error).to.equal('join failed with token [REDACTED]');
  });

  it('stops starting actions when cancelled and reports them as not started', async () => {
    const controller = new AbortController();
    const ops = handlers({
      'host.prerequisites': async (ctx) => {
        if (ctx.action.id === 'first') controller.abort();
      },
    });
    const plan = [
      action('first', { serial: true, steps: [step('host.prerequisites', 'a')] }),
      action('second', { serial: true, dependsOn: ['first'], steps: [step('host.prerequisites', 'b')] }),
    ];
    const s = await execute(plan, { runId: 'r', ops, clock: instantClock, signal: controller.signal });
    expect(s.completed).to.deep.equal(['first']);
    expect(s.notStarted).to.deep.equal(['second']);
  });
});
