import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ajvFor, COMPILED_SCHEMAS, compiledValidator, generatedValidatorPath, type SchemaName } from './compiled.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const manifest = () => parse(readFileSync(join(ROOT, 'docs/examples/bare-metal.yaml'), 'utf8')) as Record<string, any>;

// Inputs on both sides of each schema: the build's standalone code must judge them as a runtime compile does.
const samples: Record<SchemaName, unknown[]> = {
  manifest: [
    manifest(),
    { ...manifest(), unknownField: 1 },
    { ...manifest(), clusterNetwork: { podSubnet: 42, ipFamily: 'IPv5' } },
    { ...manifest(), apiEndpoint: { host: 'x', port: 'y' }, versions: {} },
  ],
  plan: [{}, { formatVersion: 'kubeone.plan/v0', actions: 'none' }],
  snapshot: [{}, { formatVersion: 1, hash: 'x' }],
  'snapshot-ownership': [{}, { nodes: 'x' }, null],
};

describe('compiled schema validators (ajv standalone code, written by the build)', () => {
  // Under node_modules, as in dist: the generated code requires ajv's runtime helpers.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'kubeone-validators-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'hack/gen-validators.ts'), dir], { cwd: ROOT, stdio: 'pipe' });
  });

  for (const name of Object.keys(COMPILED_SCHEMAS) as SchemaName[]) {
    it(`${name}: the generated code gives the same verdict and errors as compiling the schema`, () => {
      const generated = createRequire(import.meta.url)(generatedValidatorPath(name, dir)) as ValidateFunction;
      const runtime = ajvFor(name).compile(COMPILED_SCHEMAS[name].schema());
      let invalid = 0;
      for (const sample of samples[name]) {
        const ok = runtime(sample);
        expect(generated(sample), JSON.stringify(sample).slice(0, 200)).to.equal(ok);
        if (!ok) {
          invalid++;
          expect(JSON.parse(JSON.stringify(generated.errors))).to.deep.equal(JSON.parse(JSON.stringify(runtime.errors)));
        }
      }
      expect(invalid, 'samples include invalid input').to.be.greaterThan(0);
    });
  }

  it('from sources (no generated code) the validator is compiled on first use, once', () => {
    const validate = compiledValidator('manifest');
    expect(validate(manifest())).to.equal(true);
    expect(compiledValidator('manifest')).to.equal(validate);
  });
});
