// Templates written in KubeOne's dialect (testdata/templates/*.tmpl), one per family of Go
// text/template features and sprig functions, against hand-written expected output (*.out)
// taken from Go's and sprig's documentation, not from this implementation.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withAddonDefaults } from '../config-view.js';
import { baseTemplateData, templateData } from '../template-data.js';
import { loadedCluster } from '../testing/fixtures.js';
import { addonFuncs } from './funcs.js';
import { renderTemplate } from './index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'templates');

describe('templates in KubeOne dialect (golden output from Go and sprig documentation)', () => {
  const loaded = loadedCluster();
  const base = baseTemplateData({ loaded, cluster: withAddonDefaults(loaded.cluster), env: {}, clusterCA: null, now: new Date('2026-01-01T00:00:00Z') });
  const data = templateData(base, { a: 'x', n: '3', empty: '' });
  const funcs = addonFuncs({ overwriteRegistry: '', caBundle: '', env: {} });
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.tmpl')).sort()) {
    it(file, () => {
      const out = renderTemplate(file, readFileSync(join(DIR, file), 'utf8'), data, funcs);
      const want = readFileSync(join(DIR, file.replace(/\.tmpl$/, '.out')), 'utf8');
      const got = out.split('\n');
      want.split('\n').forEach((line, i) => expect(got[i], `${file} line ${i + 1}`).to.equal(line));
      expect(got.length).to.equal(want.split('\n').length);
    });
  }
});
