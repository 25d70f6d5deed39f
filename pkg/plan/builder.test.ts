import { expect } from 'chai';

import { PlanBuilder } from './builder.js';
import type { ActionDraft, KindDeclaration } from './kind.js';
import { installBinariesStep, step, stepList } from './kinds/steps.js';
import { upgradeSteps } from './kinds/upgrade.js';
import type { HostView } from './host-state.js';

const DECLARATION: KindDeclaration = { change: '~', serial: false, disruptive: false };
const draft = (id: string, dependsOn?: string[]): ActionDraft => ({ kind: id.split(':')[0]!, id, hosts: [id.split(':')[1]!], title: id, reason: 'r', steps: [], dependsOn });
const never = (): boolean => false;

describe('PlanBuilder', () => {
  it('keeps the dependencies that are planned or refused, each once, in their order (few and many)', () => {
    const b = new PlanBuilder();
    b.add(draft('install-prerequisites:a'), DECLARATION, never);
    b.add(draft('install-prerequisites:b'), DECLARATION, never);
    b.refuse({ rule: 'unreachable', hosts: ['c'], message: 'm', hint: 'h' }, ['install-prerequisites:c']);
    const few = b.add(draft('upgrade-worker:x', ['install-prerequisites:b', 'nope', 'install-prerequisites:a', 'install-prerequisites:b', 'install-prerequisites:c']), DECLARATION, never);
    expect(few.dependsOn).to.deep.equal(['install-prerequisites:b', 'install-prerequisites:a', 'install-prerequisites:c']);
    const many = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'install-prerequisites:a' : `unknown:${i}`));
    many.push('install-prerequisites:b');
    expect(b.add(draft('upgrade-worker:y', many), DECLARATION, never).dependsOn).to.deep.equal(['install-prerequisites:a', 'install-prerequisites:b']);
    // The draft's list is not the action's: the action's is its own.
    const deps = ['install-prerequisites:a'];
    const own = b.add(draft('upgrade-worker:z', deps), DECLARATION, never).dependsOn;
    expect(own).to.deep.equal(deps);
    expect(own).to.not.equal(deps);
  });

  it('emits actions with their keys in sorted order, and refuses what waits for refused work', () => {
    const b = new PlanBuilder();
    b.refuse({ rule: 'unreachable', hosts: ['c'], message: 'm', hint: 'h' }, ['install-prerequisites:c']);
    b.add(draft('install-prerequisites:a'), DECLARATION, never);
    b.add(draft('upgrade-worker:c', ['install-prerequisites:c']), DECLARATION, never);
    b.add(draft('upgrade-worker:a', ['install-prerequisites:a']), DECLARATION, never);
    const { actions, refusals } = b.finish();
    expect(actions.map((a) => a.id)).to.deep.equal(['install-prerequisites:a', 'upgrade-worker:a']);
    expect(Object.keys(actions[0]!)).to.deep.equal([...Object.keys(actions[0]!)].sort());
    expect(refusals.map((r) => r.rule)).to.deep.equal(['unreachable', 'blocked']);
    expect(b.get('upgrade-worker:c')).to.equal(undefined);
    expect(b.all().map((a) => a.id)).to.deep.equal(['install-prerequisites:a', 'upgrade-worker:a']);
  });
});

describe('step constructors', () => {
  const host = (name: string): HostView => ({ name, role: 'staticWorker', node: { name } }) as unknown as HostView;

  it('steps with equal params share one frozen object: changing it throws instead of altering the other steps', () => {
    const [a, b] = [installBinariesStep('w-1', '1.35.1', ['kubeadm'], 'kubeadm'), installBinariesStep('w-2', '1.35.1', ['kubeadm'], 'kubeadm')];
    expect(a.params).to.deep.equal({ components: ['kubeadm'], version: '1.35.1' });
    expect(a.params).to.equal(b.params);
    expect(a.description).to.equal('install kubeadm 1.35.1 on w-1');
    expect(b.description).to.equal('install kubeadm 1.35.1 on w-2');
    expect(() => ((a.params as { version: string }).version = '1.0.0')).to.throw(TypeError);
    expect(() => (a.params as { components: string[] }).components.push('kubelet')).to.throw(TypeError);
    expect(installBinariesStep('w-1', '1.35.1', ['kubeadm'], 'kubeadm', true).params).to.deep.equal({ components: ['kubeadm'], force: true, version: '1.35.1' });
    const [x, y] = [upgradeSteps(host('w-1'), '1.35.1', 'node'), upgradeSteps(host('w-2'), '1.35.1', 'node')];
    const upgradeParams = (s: typeof x) => s.find((st) => st.op === 'kubeadm.upgrade.node')!.params;
    expect(upgradeParams(x)).to.deep.equal({ version: '1.35.1' });
    expect(upgradeParams(x)).to.equal(upgradeParams(y));
    expect(upgradeParams(upgradeSteps(host('w-1'), '1.35.1', 'node', { force: true }))).to.deep.equal({ force: true, version: '1.35.1' });
  });

  it('stepList leaves out the false of conditional steps', () => {
    const s = step('host.kubelet.restart', 'w-1', 'restart');
    expect(stepList(s, false, s)).to.deep.equal([s, s]).and.have.length(2);
    expect(upgradeSteps(host('w-1'), '1.35.1', 'node').map((st) => st.op)).to.deep.equal([
      'node.cordon', 'node.drain', 'host.binaries.install', 'kubeadm.upgrade.node', 'host.binaries.install', 'host.kubelet.configure', 'host.kubelet.restart', 'node.waitReady', 'node.uncordon',
    ]);
    expect(upgradeSteps(host('w-1'), '1.35.1', 'apply', { uploadConfig: true, pruneImages: true }).map((st) => st.op)).to.include.members(['kubeadm.config.render', 'kubeadm.config.upload', 'kubeadm.upgrade.apply', 'host.images.prune']);
  });
});
