import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { loadCluster } from './load.js';

// The documentation's examples must stay valid manifests.
describe('docs/examples', () => {
  const dir = new URL('../../docs/examples/', import.meta.url).pathname;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(`${name} passes config validate`, async () => {
      const loaded = await loadCluster({ manifestPath: dir + name, env: {} });
      expect(loaded.hosts.length).to.be.greaterThan(0);
    });
  }
});
