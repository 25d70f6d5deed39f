import { expect } from 'chai';
import { labelSelectorObjectMatcher, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('selectors', () => {
  it('matches label selector strings', () => {
    const labels = { app: 'web', tier: 'front', 'node-role.kubernetes.io/control-plane': '' };
    const m = (s: string) => parseLabelSelector(s)(labels);
    expect(m('app=web')).to.equal(true);
    expect(m('app==web,tier=front')).to.equal(true);
    expect(m('app!=web')).to.equal(false);
    expect(m('app in (db, web)')).to.equal(true);
    expect(m('app notin (web)')).to.equal(false);
    expect(m('node-role.kubernetes.io/control-plane')).to.equal(true);
    expect(m('!node-role.kubernetes.io/control-plane')).to.equal(false);
    expect(m('missing!=x')).to.equal(true);
    expect(() => parseLabelSelector('a in b')).to.throw().with.property('code', 400);
  });

  it('matches metav1.LabelSelector objects', () => {
    const sel = labelSelectorObjectMatcher({ matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] });
    expect(sel({ app: 'db' })).to.equal(true);
    expect(sel({ app: 'db', tier: 'x' })).to.equal(false);
    expect(labelSelectorObjectMatcher(undefined)({ a: 'b' })).to.equal(false);
  });

  it('matches field selectors, with absent fields as empty and unschedulable as false', () => {
    const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
    expect(parseFieldSelector('spec.nodeName=n1,metadata.namespace=ns')(pod)).to.equal(true);
    expect(parseFieldSelector('status.phase!=Running')(pod)).to.equal(false);
    expect(parseFieldSelector('spec.nodeName=')({ spec: {} })).to.equal(true);
    expect(parseFieldSelector('spec.unschedulable=false')({ spec: {} })).to.equal(true);
    expect(parseFieldSelector('spec.unschedulable=true')({ spec: { unschedulable: true } })).to.equal(true);
  });
});
