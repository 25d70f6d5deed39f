import { expect } from 'chai';
import type { Overview } from './model.js';
import { type Connection, reconnectingBackend } from './reconnect.js';
import type { UiBackend } from './server.js';

const EMPTY: Overview = { controlPlanes: [], workers: [], machineApi: false, machineDeployments: [] };

describe('ui reconnecting backend', () => {
  let connects: number;
  let closed: string[];
  let failures: unknown[];
  let refuseConnect: boolean;

  const connect = async (): Promise<Connection> => {
    connects++;
    await Promise.resolve();
    if (refuseConnect) throw new Error('cp-1: unreachable');
    const via = `conn-${connects}`;
    const fail = async () => {
      const f = failures.shift();
      if (f) throw f;
    };
    const backend: UiBackend = {
      overview: async () => (await fail(), EMPTY),
      pods: async () => (await fail(), []),
      scale: fail,
      rollout: fail,
      deleteMachine: fail,
      deletePod: fail,
    };
    return { backend, via, close: () => void closed.push(via) };
  };

  beforeEach(() => {
    connects = 0;
    closed = [];
    failures = [];
    refuseConnect = false;
  });

  it('connects once for requests made together and keeps the connection', async () => {
    const b = reconnectingBackend(connect);
    await Promise.all([b.overview(), b.pods('n'), b.connection()]);
    await b.deletePod('default', 'web');
    expect(connects).to.equal(1);
    expect((await b.connection()).via).to.equal('conn-1');
  });

  it('an answer from the API (an HTTP status) keeps the connection; a transport failure drops it and the next request reconnects', async () => {
    const b = reconnectingBackend(connect);
    failures = [Object.assign(new Error('conflict'), { code: 409 })];
    await b.scale('kube-system', 'pool', 'up').then(() => expect.fail('no error'), (e: Error) => expect(e.message).to.equal('conflict'));
    expect(closed).to.deep.equal([]);
    failures = [new Error('channel open failure')];
    await b.overview().then(() => expect.fail('no error'), (e: Error) => expect(e.message).to.equal('channel open failure'));
    expect(closed).to.deep.equal(['conn-1']);
    expect(await b.overview()).to.equal(EMPTY);
    expect((await b.connection()).via).to.equal('conn-2');
  });

  it('a failed connection attempt is not kept; close closes the current connection', async () => {
    refuseConnect = true;
    const b = reconnectingBackend(connect);
    await b.connection().then(() => expect.fail('no error'), (e: Error) => expect(e.message).to.equal('cp-1: unreachable'));
    refuseConnect = false;
    expect((await b.connection()).via).to.equal('conn-2');
    b.close();
    await new Promise((r) => setImmediate(r));
    expect(closed).to.deep.equal(['conn-2']);
  });
});
