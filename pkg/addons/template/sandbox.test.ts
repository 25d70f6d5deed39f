// Templates are data: nothing a template writes reaches JavaScript prototypes, functions
// that are not registered template functions, or the process (issue 13, template sandbox).
import { expect } from 'chai';
import fc from 'fast-check';
import { baseTemplateData, templateData } from '../template-data.js';
import { loadedCluster } from '../testing/fixtures.js';
import { withAddonDefaults } from '../config-view.js';
import { addonFuncs } from './funcs.js';
import { TemplateError, renderTemplate } from './index.js';

const loaded = loadedCluster({}, { customSecrets: 'TOKEN: custom-token' });
const base = baseTemplateData({ loaded, cluster: withAddonDefaults(loaded.cluster), env: {}, clusterCA: null, now: new Date('2026-01-01T00:00:00Z') });
const data = templateData(base, { p: 'v' });
const funcs = addonFuncs({ overwriteRegistry: '', caBundle: '', env: {} });
const render = (src: string): string => renderTemplate('t.yaml', src, data, funcs);
const outcome = (src: string): string => {
  try {
    return `rendered: ${render(src)}`;
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return e.message;
  }
};

describe('template sandbox', () => {
  it('does not build a Function from index .Config "constructor" "constructor"', () => {
    const out = outcome('{{ $F := index .Config "constructor" "constructor" }}{{ $g := $F "return process.version" }}{{ $g 0 }}');
    expect(out).to.not.contain(process.version);
    // Go refuses to index a struct pointer; so does this (before $F is ever used).
    expect(out).to.equal(
      'template: t.yaml:1:9: executing "t.yaml" at <index .Config "constructor" "constructor">: error calling index: can\'t index item of type *kubeone.KubeOneCluster',
    );
  });

  it('treats prototype names as missing keys or unknown fields, never as JavaScript properties', () => {
    expect(render('{{ index .Params "constructor" }}|{{ index .Params "__proto__" }}|{{ .Params.constructor }}|{{ .Params.__proto__ }}')).to.equal('||<no value>|<no value>');
    expect(render('{{ $d := dict }}{{ $d.constructor }}|{{ get $d "toString" }}|{{ hasKey $d "hasOwnProperty" }}|{{ (dict).constructor.constructor }}')).to.equal('<no value>||false|<no value>');
    expect(outcome('{{ .Config.constructor }}')).to.contain("can't evaluate field constructor in type *kubeone.KubeOneCluster");
    expect(outcome('{{ .InternalImages.constructor }}')).to.contain("can't evaluate field constructor in type *addons.internalImages");
    expect(outcome('{{ .Config.Name.constructor }}')).to.contain("can't evaluate field constructor in type string");
    expect(outcome('{{ .CustomCredentials.TOKEN.prototype }}')).to.contain("can't evaluate field prototype in type string");
  });

  it('calls nothing but registered functions and declared methods', () => {
    expect(outcome('{{ $x := .Config.CloudProvider.CloudProviderName }}{{ $x 1 }}')).to.contain("can't give argument to non-function $x");
    expect(outcome('{{ call .Config.CloudProvider.CloudProviderName }}')).to.contain('error calling call: non-function .Config.CloudProvider.CloudProviderName of type string');
    expect(outcome('{{ call .Params.missing }}')).to.contain('error calling call: call of nil');
    expect(outcome('{{ process }}')).to.equal('template: t.yaml:1: function "process" not defined');
    expect(outcome('{{ require "fs" }}')).to.equal('template: t.yaml:1: function "require" not defined');
    expect(outcome('{{ globalThis }}')).to.equal('template: t.yaml:1: function "globalThis" not defined');
  });

  describe('fuzzing', () => {
    const CANARY = 'kubeone-sandbox-canary';
    const proto = Object.prototype as Record<string, unknown>;
    const global = globalThis as Record<string, unknown>;
    before(() => {
      proto.__kubeone_canary__ = CANARY;
      global.__kubeone_canary__ = CANARY;
      process.env.KUBEONE_SANDBOX_CANARY = CANARY;
    });
    after(() => {
      delete proto.__kubeone_canary__;
      delete global.__kubeone_canary__;
      delete process.env.KUBEONE_SANDBOX_CANARY;
    });

    const names = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'call', 'apply', 'bind', '__kubeone_canary__', 'process', 'require', 'globalThis', 'mainModule', 'env', 'Config', 'Params', 'Name', 'InternalImages', 'Get', 'entries', 'values', 'type', 'KUBEONE_SANDBOX_CANARY'];
    const name = fc.constantFrom(...names);
    const root = fc.constantFrom('.', '.Config', '.Params', '.InternalImages', '.Certificates', '.CustomCredentials', '$', '(dict "a" 1)', '(list 1 "x")', '(semver "1.2.3")', '(now)', '(urlParse "https://u:p@h/x")');
    const chain = fc.tuple(root, fc.array(name, { maxLength: 3 })).map(([r, fs]) => (fs.length ? `${r.startsWith('(') || r === '.' || r === '$' ? (r === '.' ? '' : r) : r}${fs.map((f) => `.${f}`).join('')}` : r));
    const key = name.map((n) => JSON.stringify(n));
    const expr = fc.oneof(
      chain,
      fc.tuple(chain, fc.array(key, { minLength: 1, maxLength: 3 })).map(([c, ks]) => `index ${c} ${ks.join(' ')}`),
      fc.tuple(chain, key).map(([c, k]) => `get ${c} ${k}`),
      fc.tuple(key, key, chain).map(([a, b, c]) => `dig ${a} ${b} "d" ${c}`),
      fc.tuple(key, chain).map(([k, c]) => `pluck ${k} ${c}`),
      fc.tuple(chain, fc.array(chain, { maxLength: 2 })).map(([f, a]) => `call ${f} ${a.join(' ')}`),
      fc.tuple(name, chain).map(([n, c]) => `env ${JSON.stringify(n)} | printf "%v%v" ${c}`),
      chain.map((c) => `toJson ${c}`),
      chain.map((c) => `printf "%#v %T %+v" ${c} ${c} ${c}`),
      chain.map((c) => `typeOf ${c}`),
      chain.map((c) => `deepCopy ${c}`),
      fc.tuple(chain, key).map(([c, k]) => `set (dict) ${k} ${c}`),
    );
    const template = fc.oneof(
      expr.map((e) => `{{ ${e} }}`),
      fc.tuple(expr, fc.array(name, { minLength: 1, maxLength: 2 })).map(([e, fs]) => `{{ $v := ${e} }}{{ $v${fs.map((f) => `.${f}`).join('')} }}`),
      fc.tuple(expr, name).map(([e, f]) => `{{ range $k, $v := ${e} }}{{ $k }}={{ $v.${f} }};{{ end }}`),
      fc.tuple(expr, name).map(([e, f]) => `{{ with ${e} }}{{ .${f} }}{{ end }}`),
    );

    it('no template reaches process, require, globalThis or a prototype', () => {
      fc.assert(
        fc.property(template, (src) => {
          let out: string;
          try {
            out = render(src);
          } catch (e) {
            // A template that Go would refuse fails with a template error, never anything else.
            expect(e, `${src}: ${(e as Error).stack}`).to.be.instanceOf(TemplateError);
            expect((e as Error).message, src).to.not.contain(CANARY);
            return;
          }
          // Nothing JavaScript shows through: no canary from a prototype, globalThis or the environment, no function text.
          expect(out, src).to.not.contain(CANARY);
          expect(out, src).to.not.match(/\[object |\[Function|native code|=>|function \(|\bundefined\b/);
        }),
        { numRuns: 2000, seed: 1337 },
      );
    }).timeout(120_000);
  });
});
