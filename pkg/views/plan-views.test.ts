import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { computePlan } from '../plan/index.js';
import { STEP_OPS } from '../ops/registry.js';
import { ACTION_KINDS } from '../plan/stages.js';
import { REFUSAL_RULES, type Plan, type PlanOptions } from '../plan/types.js';
import { addon, clusterConfiguration, desiredState, SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
import { humanPlanView, renderPlanHuman } from './plan-human.js';
import { renderPlanJson } from './plan-json.js';
import { detailedExitCode } from './plan-view.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan-v1.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z', intermediateVersions: { '1.35': '1.35.1' } };

/** Built from scratch on every call, so identical output proves determinism, not object reuse. */
function scenario(kind: 'upgrade' | 'fresh' | 'converged' | 'mixed'): Plan {
  const cni = addon('cni', [{ kind: 'ConfigMap', name: 'cni' }]);
  const desired = desiredState({
    version: kind === 'upgrade' ? '1.36.0' : '1.35.1',
    controlPlanes: ['cp-1', 'cp-2'],
    workers: ['w-1', 'w-2'],
    addons: [addon('cni', [{ kind: 'ConfigMap', name: 'cni', variant: kind === 'mixed' ? 'v2' : 'v1' }])],
  });
  const b = new SnapshotBuilder();
  if (kind === 'fresh') {
    for (const h of ['cp-1', 'cp-2']) b.host(h, 'controlPlane');
    for (const h of ['w-1', 'w-2']) b.host(h, 'staticWorker');
  } else {
    const v = kind === 'upgrade' ? '1.34.3' : '1.35.1';
    for (const h of ['cp-1', 'cp-2']) b.convergedHost(h, 'controlPlane', { version: v });
    b.convergedHost('w-1', 'staticWorker', { version: v });
    if (kind === 'mixed') b.host('w-2', 'staticWorker', (h) => h.unreachable()).convergedHost('old', 'staticWorker', { version: v });
    else b.convergedHost('w-2', 'staticWorker', { version: v });
    b.cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() }).addonObjects(cni);
  }
  return computePlan(desired, b.build(), NOW);
}

describe('plan views', () => {
  for (const kind of ['upgrade', 'fresh', 'converged', 'mixed'] as const) {
    it(`JSON of the ${kind} plan validates against schemas/plan-v1.json and is byte-identical across runs`, () => {
      const first = renderPlanJson(scenario(kind));
      expect(validate(JSON.parse(first)), JSON.stringify(validate.errors)).to.equal(true);
      expect(renderPlanJson(scenario(kind))).to.equal(first);
    });
  }

  it('the schema rejects a plan that breaks the contract', () => {
    const plan = JSON.parse(renderPlanJson(scenario('upgrade')));
    plan.actions[0].steps[0].op = 'host.rm-rf';
    expect(validate(plan)).to.equal(false);
    const drain = JSON.parse(renderPlanJson(scenario('upgrade')));
    delete drain.actions[0].steps[1].params.node;
    expect(drain.actions[0].steps[1].op).to.equal('node.drain');
    expect(validate(drain)).to.equal(false);
  });

  it('the schema enumerates exactly the action kinds and step ops of the contract', () => {
    expect(schema.definitions.action.properties.kind.enum).to.deep.equal([...ACTION_KINDS]);
    expect(schema.definitions.step.properties.op.enum).to.deep.equal([...STEP_OPS]);
    expect(schema.definitions.refusal.properties.rule.enum).to.deep.equal([...REFUSAL_RULES]);
  });

  it('JSON keys are sorted, on one line without indentation, ending with a newline', () => {
    const text = renderPlanJson(scenario('upgrade'));
    expect(text.indexOf('"actions"')).to.be.lessThan(text.indexOf('"formatVersion"'));
    expect(text.endsWith('}\n')).to.equal(true);
    expect(text.indexOf('\n')).to.equal(text.length - 1);
    expect(text).to.equal(`${JSON.stringify(JSON.parse(text))}\n`);
  });

  it('human view: one line per action with its reason, refusals with !, and the count line', () => {
    const text = renderPlanHuman(scenario('mixed'));
    const lines = text.split('\n');
    expect(lines).to.include('  ~ update addon cni: 1 object(s) differ from the rendered manifest (ConfigMap kube-system/cni)');
    expect(lines.some((l) => l.startsWith('  - remove worker old from the cluster [disruptive]: Node old is in the cluster'))).to.equal(true);
    expect(lines.some((l) => l.startsWith('  ! [unreachable] w-2 is unreachable'))).to.equal(true);
    expect(text).to.contain('Plan: 0 to add, 1 to change, 1 to destroy.\n');
    expect(text).not.to.contain('\u001b[');
  });

  it('human view: a converged cluster says so', () => {
    expect(renderPlanHuman(scenario('converged'))).to.equal(
      'No changes. The cluster matches the manifest.\n\nPlan: 0 to add, 0 to change, 0 to destroy.\n',
    );
  });

  it('verbose human view shows steps, ordering and object diffs; colors only on request', () => {
    const text = humanPlanView({ verbose: true }).render(scenario('mixed'));
    expect(text).to.contain('      ~ ConfigMap kube-system/cni (v1)\n          replace /data/variant "v2"');
    expect(text).to.contain('      1. cordon node old');
    const upgrade = humanPlanView({ verbose: true }).render(scenario('upgrade'));
    expect(upgrade).to.contain('after: upgrade-worker:w-2:1.35.1');
    expect(humanPlanView({ color: true }).render(scenario('upgrade'))).to.contain('\u001b[33m~\u001b[0m');
  });

  it('detailed exit code: 2 with changes, 0 converged, 1 when anything is refused', () => {
    expect(detailedExitCode(scenario('upgrade'))).to.equal(2);
    expect(detailedExitCode(scenario('converged'))).to.equal(0);
    const refusedOnly: Plan = { ...scenario('converged'), refusals: [{ rule: 'unreachable', hosts: ['w-2'], message: 'm', hint: 'h' }] };
    expect(detailedExitCode(refusedOnly)).to.equal(1);
    // apply refuses a plan with refusals, so actions beside them do not make it "2: apply converges".
    expect(detailedExitCode({ ...scenario('upgrade'), refusals: refusedOnly.refusals })).to.equal(1);
  });
});
