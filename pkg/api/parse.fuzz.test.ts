import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { applyDefaults } from './defaults.js';
import { ConfigError } from './errors.js';
import { parseManifest } from './parse.js';
import { validate } from './validate/index.js';

// Whatever the input, loading either succeeds or fails with a ConfigError: never a crash.
function outcome(text: string): 'ok' | 'config-error' {
  try {
    const parsed = parseManifest(text, 'fuzz.yaml');
    validate(applyDefaults(parsed.cluster));
    return 'ok';
  } catch (e) {
    if (e instanceof ConfigError) return 'config-error';
    throw e;
  }
}

describe('parseManifest on arbitrary input', () => {
  it('never throws anything but ConfigError for random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => { outcome(text); }), { numRuns: 300 });
  });
  it('never crashes on random values under known fields', () => {
    const anyValue = fc.anything({ maxDepth: 3, withNullPrototype: false, withBigInt: false, withDate: false, withTypedArray: false, withSparseArray: false, withMap: false, withSet: false, withBoxedValues: false });
    const fields = fc.constantFrom('name', 'controlPlane', 'apiEndpoint', 'cloudProvider', 'versions', 'clusterNetwork', 'staticWorkers', 'features', 'helmReleases', 'kubernetesBinaries', 'containerRuntime', 'dynamicWorkers');
    fc.assert(
      fc.property(fc.dictionary(fields, anyValue, { maxKeys: 4 }), (doc) => {
        const text = stringify({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', ...doc });
        expect(['ok', 'config-error']).to.include(outcome(text));
      }),
      { numRuns: 300 },
    );
  });
});
