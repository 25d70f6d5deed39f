import { expect } from 'chai';
import type { Action } from '../plan/types.js';
import { Scheduler } from './scheduler.js';
import { action, step } from './testing/plan-builder.js';

/** `id`, `id<dep,dep`, `id@host`, `id!` (serial), combinable: `b<a@h1!`. */
function parse(spec: string): Action {
  const m = /^([\w-]+)(?:<([\w,-]+))?(?:@([\w,-]+))?(!)?$/.exec(spec);
  if (!m) throw new Error(`bad spec ${spec}`);
  return action(m[1]!, {
    dependsOn: m[2] ? m[2].split(',') : [],
    hosts: m[3] ? m[3].split(',') : [],
    serial: m[4] === '!',
    steps: [step('host.prerequisites')],
  });
}

type Event = `done ${string}` | `fail ${string}` | 'cancel';

interface Case {
  name: string;
  actions: string[];
  parallelism: number;
  /** Before any event, then after each: what starts and what gets blocked ('' nothing). */
  events: Event[];
  want: string[];
}

const CASES: Case[] = [
  { name: 'dependencies first', actions: ['b<a', 'a'], parallelism: 5, events: ['done a', 'done b'], want: ['start a', 'start b', ''] },
  {
    name: 'serial one at a time, the others up to the parallelism',
    actions: ['c1!', 'c2!', 'w1', 'w2', 'w3'],
    parallelism: 2,
    events: ['done c1', 'done w1', 'done c2', 'done w2', 'done w3'],
    want: ['start c1 w1 w2', 'start c2', 'start w3', '', '', ''],
  },
  { name: 'never two actions on one host', actions: ['x@h', 'y@h', 'z@h'], parallelism: 3, events: ['done x', 'done y', 'done z'], want: ['start x', 'start y', 'start z', ''] },
  {
    name: 'a failure blocks its dependents transitively, not the independent',
    actions: ['bad', 'b<bad', 'c<b', 'free'],
    parallelism: 5,
    events: ['fail bad', 'done free'],
    want: ['start bad free', 'blocked b<bad c<b', ''],
  },
  { name: 'a dependency outside the plan counts as done', actions: ['a<elsewhere'], parallelism: 1, events: ['done a'], want: ['start a', ''] },
  { name: 'cancel: nothing pending starts', actions: ['a!', 'b<a!'], parallelism: 1, events: ['cancel', 'done a'], want: ['start a', 'cancelled b', ''] },
];

function replay(c: Case): string[] {
  const s = new Scheduler(c.actions.map(parse), c.parallelism);
  const round = (): string => {
    const blocked = s.block().map((b) => `${b.action.id}<${b.by}`);
    const started = s.start().map((a) => a.id);
    return [started.length ? `start ${started.join(' ')}` : '', blocked.length ? `blocked ${blocked.join(' ')}` : ''].filter(Boolean).join(', ');
  };
  const out = [round()];
  for (const e of c.events) {
    if (e === 'cancel') {
      out.push(`cancelled ${s.cancelPending().map((a) => a.id).join(' ')}`);
      continue;
    }
    const [what, id] = e.split(' ') as ['done' | 'fail', string];
    s.finish(id, what === 'done' ? 'done' : 'failed');
    out.push(round());
  }
  return out;
}

describe('scheduler (pure state machine)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(replay(c)).to.deep.equal(c.want);
    });
  }

  it('what waits for something that never comes is reported stuck once nothing runs', () => {
    const s = new Scheduler([parse('a<b'), parse('b<a')], 1);
    expect(s.start()).to.deep.equal([]);
    expect(s.blockStuck().map((b) => `${b.action.id} ${b.by} ${b.why}`)).to.deep.equal(['a b unsatisfiable', 'b a unsatisfiable']);
    expect(s.stateOf('a')).to.equal('blocked');
  });

  it('refuses to finish what is not running', () => {
    const s = new Scheduler([parse('a')], 1);
    expect(() => s.finish('a', 'done')).to.throw(/not running/);
  });
});
