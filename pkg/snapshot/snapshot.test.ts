import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { canonicalJson } from '../api/canonical-json.js';
import { buildSnapshot, hashState, loadSnapshotFile, serializeSnapshot, validateSnapshot } from './snapshot.js';
import { liveRelease } from '../helm/testing/releases.js';
import { emptyRecord } from '../ownership/record.js';
import { SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
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

  it('validates the Helm releases of the cluster and those of the ownership record', () => {
    const b = new SnapshotBuilder();
    b.convergedHost('cp-1', 'controlPlane', { version: '1.35.1' }).cluster({ leader: 'cp-1' });
    b.editKube((k) => {
      k.helmReleases = [liveRelease('web', { config: { db: { password: '[REDACTED]' } } })];
      k.ownership = { ...emptyRecord(), helmReleases: ['apps/web'] };
    });
    const snapshot = b.build();
    expect(validateSnapshot(snapshot)).to.deep.equal({ valid: true, errors: [] });
    const noHash = JSON.parse(JSON.stringify(snapshot));
    delete noHash.state.kube.helmReleases[0].valuesHash;
    expect(validateSnapshot(noHash).errors.join()).to.contain("must have required property 'valuesHash'");
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

  it('describes hostile files instead of echoing them: binary, broken JSON, deep nesting', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeone-snap-'));
    const attempt = async (name: string, content: string | Buffer): Promise<string> => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      try {
        await loadSnapshotFile(file);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`${name} was accepted`);
    };
    try {
      const binary = await attempt('bin.json', Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x41, 0x42, 0x43, 0x80]));
      expect(binary).to.contain('not a text file (binary content)').and.not.match(/[\x00\x80-\xff]|ABC/);
      const broken = await attempt('broken.json', '{"formatVersion": 1, "meta": {"token": "s3cr3t-value"} oops');
      expect(broken).to.match(/broken\.json:1:\d+: not a readable JSON snapshot: the snapshot is not valid JSON$/);
      expect(broken).to.not.contain('s3cr3t');
      const deep = await attempt('deep.json', `{"state":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      expect(deep).to.match(/deep\.json:1:\d+: not a readable JSON snapshot: the snapshot nests more than 64 levels deep$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
