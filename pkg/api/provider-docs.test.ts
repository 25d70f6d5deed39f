// The manifest snippet of every provider page (docs/providers/*.md) loads, with that provider's
// example credentials and a control-plane host added, and selects the addons the page names.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { renderAddons } from '../addons/render.js';
import { PROVIDER_EXAMPLES } from '../addons/testing/providers.js';
import { loadCluster } from './load.js';
import { PROVIDER_NAMES } from './types.js';

const DOCS = new URL('../../docs/providers/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'kubeone-provider-docs-'));

describe('docs/providers', () => {
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md');

  it('one page per provider, each linked from the index', () => {
    const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
    expect(pages).to.have.length(PROVIDER_NAMES.length - 1);
    for (const page of pages) expect(index).to.contain(`](${page})`);
  });

  for (const page of pages) {
    it(`${page}: the manifest snippet loads and selects the addons the page describes`, async () => {
      const text = readFileSync(join(DOCS, page), 'utf8');
      const snippet = /```yaml\n([\s\S]*?)```/.exec(text)![1]!;
      const doc = parse(snippet) as Record<string, any>;
      const provider = Object.keys(doc.cloudProvider).find((k) => (PROVIDER_NAMES as readonly string[]).includes(k)) as keyof typeof PROVIDER_EXAMPLES;
      const manifest = {
        apiVersion: 'kubeone.k8c.io/v1beta2',
        kind: 'KubeOneCluster',
        name: 'docs',
        versions: { kubernetes: '1.35.1' },
        ...doc,
        controlPlane: { hosts: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', sshPrivateKeyFile: '/k/id' }] },
      };
      const path = join(work, `${provider}.yaml`);
      writeFileSync(path, stringify(manifest));
      const loaded = await loadCluster({ manifestPath: path, env: PROVIDER_EXAMPLES[provider].credentials });
      const addons = renderAddons({ loaded, env: {} }).map((a) => a.name);
      for (const addon of addons.filter((a) => /^(ccm|csi)-|^machinecontroller$|^operating-system-manager$/.test(a))) expect(text, `${page} names ${addon}`).to.contain(`\`${addon}\``);
      // The snippets leave machineController.deploy at KubeOne's default: both are deployed.
      expect(addons, page).to.include.members(['machinecontroller', 'operating-system-manager']);
      expect(addons.filter((a) => /^(ccm|csi)-|^cloud-credentials$/.test(a)).sort()).to.deep.equal(PROVIDER_EXAMPLES[provider].addons.filter((a) => a !== 'cloud-credentials' || provider !== 'vmwareCloudDirector' || addons.includes(a)).sort());
      for (const variable of Object.keys(PROVIDER_EXAMPLES[provider].credentials)) expect(text, `${page} names ${variable}`).to.contain(variable);
    });
  }
});
