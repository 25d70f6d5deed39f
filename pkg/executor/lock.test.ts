import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LockHeldError, acquireLock, isStale, newLockInfo, readLock, removeLock } from './lock.js';
import { transportMarkers } from './inflight.js';
import { LocalTransport } from './testing/local-transport.js';

describe('cluster lock', () => {
  it('the second run fails fast naming the holder; release lets the next one in', async () => {
    const t = new LocalTransport('cp-1', mkdtempSync(join(tmpdir(), 'lock-')));
    const first = await acquireLock(t, newLockInfo('kubeone apply'));
    let err: unknown;
    try {
      await acquireLock(t, newLockInfo('kubeone apply'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(LockHeldError);
    const held = err as LockHeldError;
    expect(held.holder!.id).to.equal(first.info.id);
    expect(held.stale).to.equal(false);
    expect(held.message).to.contain(first.info.owner).and.contain(first.info.id).and.contain('kubeone apply');
    await first.release();
    expect(await readLock(t)).to.equal(null);
    const second = await acquireLock(t, newLockInfo('kubeone reset'));
    await second.release();
  });

  it('two concurrent acquirers: exactly one wins', async () => {
    const t = new LocalTransport('cp-1', mkdtempSync(join(tmpdir(), 'lock-')));
    const results = await Promise.allSettled([1, 2, 3].map(() => acquireLock(t, newLockInfo('kubeone apply'))));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    for (const r of results) if (r.status === 'fulfilled') await r.value.release();
  });

  it('an expired lock of a dead pid is reported stale; unlock needs the right id', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lock-'));
    const t = new LocalTransport('cp-1', root);
    const old = { ...newLockInfo('kubeone apply', 60, new Date('2020-01-01T00:00:00Z')), owner: 'alice@other-machine' };
    mkdirSync(join(root, 'var/lib/kubeone'), { recursive: true });
    writeFileSync(join(root, 'var/lib/kubeone/lock.json'), JSON.stringify(old));
    const err = await acquireLock(t, newLockInfo('kubeone apply')).catch((e: unknown) => e);
    expect((err as LockHeldError).stale).to.equal(true);
    expect((err as Error).message).to.contain(`kubeone unlock --force ${old.id}`);
    expect(await removeLock(t, 'another-id')).to.equal(false);
    expect(await removeLock(t, old.id)).to.equal(true);
  });

  it('a lock left by a killed run of the same user on this machine is taken over at once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lock-'));
    const t = new LocalTransport('cp-1', root);
    const dead = { ...newLockInfo('kubeone apply'), pid: 2 ** 22 + 4321 };
    mkdirSync(join(root, 'var/lib/kubeone'), { recursive: true });
    writeFileSync(join(root, 'var/lib/kubeone/lock.json'), JSON.stringify(dead));
    const held = await acquireLock(t, newLockInfo('kubeone apply'));
    expect(held.info.takenOverFrom).to.equal(dead.id);
    expect((await readLock(t)) as { id: string }).to.include({ id: held.info.id });
    await held.release();
    // Another machine's lock is never taken over, however old.
    writeFileSync(join(root, 'var/lib/kubeone/lock.json'), JSON.stringify({ ...dead, owner: 'bob@elsewhere' }));
    const err = await acquireLock(t, newLockInfo('kubeone apply')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LockHeldError);
  });

  it('a live pid or an unexpired lease is not stale; another machine past its lease is', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    const base = { ...newLockInfo('x', 60, new Date('2026-01-01T00:00:00Z')) };
    expect(isStale({ ...base, pid: process.pid }, now, hostname())).to.equal(false);
    expect(isStale({ ...base, renewedAt: '2026-01-01T00:09:30Z', pid: 2 ** 22 + 1 }, now)).to.equal(false);
    expect(isStale({ ...base, owner: 'op@elsewhere', pid: process.pid }, now, 'here')).to.equal(true);
  });

  it('in-flight markers are written and removed on the host', async () => {
    const t = new LocalTransport('w1', mkdtempSync(join(tmpdir(), 'mark-')));
    const markers = transportMarkers(async () => t);
    await markers.set('w1', { actionId: 'a', step: 's', startedAt: 'now', runId: 'r' });
    expect(JSON.parse((await t.readFile('/var/lib/kubeone/inflight.json')).toString())).to.include({ actionId: 'a', step: 's' });
    await markers.clear('w1');
    expect((await t.exec('test -e /var/lib/kubeone/inflight.json')).code).to.equal(1);
  });
});
