// docs/manifest-reference.md is generated from the manifest JSON Schema by
// hack/gen-manifest-reference.ts; this test fails when the committed page is out of date.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import schema from '../schemas/kubeonecluster-v1beta2.json' with { type: 'json' };
import { OUTPUT_FILE, renderManifestReference } from '../hack/gen-manifest-reference.js';

const REGENERATE = 'run `npx tsx hack/gen-manifest-reference.ts` and commit docs/manifest-reference.md';

describe('docs/manifest-reference.md', () => {
  it('is what hack/gen-manifest-reference.ts renders from schemas/kubeonecluster-v1beta2.json', () => {
    const committed = readFileSync(new URL(`../${OUTPUT_FILE}`, import.meta.url), 'utf8');
    expect(committed, `${OUTPUT_FILE} is out of date: ${REGENERATE}`).to.equal(renderManifestReference(schema));
  });

  it('lists every field of the schema', () => {
    const text = renderManifestReference(schema);
    for (const path of ['`apiVersion`', '`controlPlane.hosts`', '`clusterNetwork.kubeProxy.ipvs.scheduler`', '`addons.addons[].name`', '`kubernetesBinaries.bundle.path`', '`sshPort`', '`effect`']) {
      expect(text).to.contain(`| ${path} |`);
    }
    expect(text).to.contain('Used at `controlPlane.hosts[]`, `staticWorkers.hosts[]`.');
  });
});

describe('renderManifestReference', () => {
  const small = {
    title: 'Thing',
    description: 'a small schema',
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { type: 'string', const: 'Thing' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 22, description: 'the | port' },
      mode: { $ref: '#/$defs/Mode' },
      peers: { type: 'array', items: { $ref: '#/$defs/Peer' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      nested: { type: 'object', additionalProperties: false, properties: { deep: { type: 'object', properties: { leaf: { type: 'boolean' } } } } },
      url: { type: 'string', anyOf: [{ maxLength: 0 }, { format: 'uri' }] },
    },
    $defs: {
      Mode: { type: 'string', enum: ['a', 'b'] },
      Peer: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', description: 'peer <name>' } } },
    },
  };

  it('renders tables with types, defaults, constraints and links to shared types', () => {
    const text = renderManifestReference(small);
    expect(text).to.contain('| Field | Type | Default | Description |');
    expect(text).to.contain('| `kind` | string |  | **Required.** Must be `Thing`. |');
    expect(text).to.contain('| `port` | integer | `22` | the \\| port. From 1 to 65535. |');
    expect(text).to.contain('| `mode` | string |  | One of `a`, `b`. |');
    expect(text).to.contain('| `peers` | array of [Peer](#peer) |  |  |');
    expect(text).to.contain('| `labels` | map of string |  |  |');
    expect(text).to.contain('| `nested` | [object](#nested) |  |  |');
    expect(text).to.contain('| `nested.deep.leaf` | boolean |  |  |');
    expect(text).to.contain('Fields not listed here are allowed.');
    expect(text).to.contain('| `url` | string |  | Either empty or format `uri`. |');
    expect(text).to.contain('## `Peer`\n\nUsed at `peers[]`.');
    expect(text).to.contain('| `name` | string |  | **Required.** peer &lt;name&gt;. |');
  });

  it('leaves the Default column out when the schema declares no default', () => {
    const { default: _unused, ...port } = small.properties.port;
    const text = renderManifestReference({ ...small, properties: { ...small.properties, port } });
    expect(text).to.contain('| Field | Type | Description |');
    expect(text).not.to.contain('| Default |');
  });

  it('is deterministic and leaves its input untouched', () => {
    const before = JSON.stringify(schema);
    expect(renderManifestReference(schema)).to.equal(renderManifestReference(schema));
    expect(JSON.stringify(schema)).to.equal(before);
  });

  it('refuses references outside the schema', () => {
    expect(() => renderManifestReference({ type: 'object', properties: { x: { $ref: 'other.json#/x' } } })).to.throw(/unsupported \$ref/);
  });
});
