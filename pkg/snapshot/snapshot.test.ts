import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { canonicalJson } from '../api/canonical-json.js';
import { buildSnapshot, hashState, loadSnapshotFile, serializeSnapshot, validateSnapshot } from './snapshot.js';
import type { SnapshotState } from './types.js';

const state: SnapshotState = {
  cluster: 'demo',
  hosts: [
    { name: 'cp-1', id: 0, role: 'controlPlane', address: '127.0.0.1:22', privateAddress: '10.0.0.1', reachable: false, error: { kind: 'unreachable', message: 'unreachable: ECONNREFUSED' } },
  ],
  kube: null,
};
const meta = { tool: 'kubeone-ts', probedAt: '2026-11-25T06:00:00.000Z', durationMs: 12 };

describe('pkg/snapshot', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).to.equal('{"a":{"c":null,"d":[1,{"z":1}]},"b":1}');
  });

  it('hashes the state independently of key order and meta', () => {
    const reordered = JSON.parse(JSON.stringify({ kube: null, hosts: state.hosts, cluster: 'demo' })) as SnapshotState;
    expect(hashState(reordered)).to.equal(hashState(state));
    expect(buildSnapshot(state, meta).hash).to.equal(buildSnapshot(state, { ...meta, durationMs: 99 }).hash);
    expect(hashState({ ...state, cluster: 'other' })).to.not.equal(hashState(state));
  });

  it('validates a snapshot against the schema and checks its hash', () => {
    const snapshot = buildSnapshot(state, meta);
    expect(validateSnapshot(snapshot)).to.deep.equal({ valid: true, errors: [] });
    const tampered = { ...snapshot, state: { ...snapshot.state, cluster: 'x' } };
    expect(validateSnapshot(tampered).errors[0]).to.match(/^\/hash: /);
    const badKind = JSON.parse(JSON.stringify(snapshot));
    badKind.state.hosts[0].error.kind = 'exploded';
    expect(validateSnapshot(badKind).valid).to.equal(false);
    const extra = JSON.parse(JSON.stringify(snapshot));
    extra.state.hosts[0].privateKey = 'nope';
    expect(validateSnapshot(extra).errors.join()).to.contain('additional properties');
  });

  it('serializes stably and loads back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeone-snap-'));
    try {
      const file = path.join(dir, 's.json');
      const text = serializeSnapshot(buildSnapshot(state, meta));
      expect(text).to.equal(serializeSnapshot(JSON.parse(text)));
      writeFileSync(file, text);
      return loadSnapshotFile(file).then((loaded) => expect(loaded.hash).to.equal(hashState(state)));
    } finally {
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 100);
    }
  });

  it('names the file when loading garbage', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeone-snap-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"formatVersion":"nope"}');
    try {
      await loadSnapshotFile(file).then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.contain(file).and.contain('invalid snapshot'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
