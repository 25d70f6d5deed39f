// Template errors with Go's wording and location: parse errors as
// "template: FILE:LINE: MSG", execution errors as
// "template: FILE:LINE:COL: executing "FILE" at <NODE>: MSG" (text/template's format, with the
// template named after its file so the location is the file's).
import { expect } from 'chai';
import { withAddonDefaults } from '../config-view.js';
import { baseTemplateData, templateData } from '../template-data.js';
import { loadedCluster } from '../testing/fixtures.js';
import { addonFuncs } from './funcs.js';
import { TemplateError, renderTemplate } from './index.js';

const loaded = loadedCluster({ cloudProvider: { none: {} } });
const base = baseTemplateData({ loaded, cluster: withAddonDefaults(loaded.cluster), env: {}, clusterCA: null, now: new Date('2026-01-01T00:00:00Z') });
const data = templateData(base, { a: 'x', zero: '0' });
const funcs = addonFuncs({ overwriteRegistry: '', caBundle: '', env: {} });
const render = (src: string): string => renderTemplate('addon/f.yaml', src, data, funcs);
const error = (src: string): TemplateError => {
  try {
    render(src);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`no error for ${src}`);
};
// COL is Go's: for a chain .A.B.C the node starts where its first chained field (.B) does.
const exec = (line: number, col: number, node: string, msg: string): string => `template: addon/f.yaml:${line}:${col}: executing "addon/f.yaml" at <${node}>: ${msg}`;

describe('template errors (Go message shape, file:line)', () => {
  it('rejects an undefined function at parse time, even in a branch that is never taken', () => {
    const e = error('kind: ConfigMap\n{{ if false }}\n  x: {{ nope .Params.a }}\n{{ end }}\n');
    expect(e.message).to.equal('template: addon/f.yaml:3: function "nope" not defined');
    expect(e.line).to.equal(3);
  });

  it('knows only what KubeOne registers: Helm\'s toYaml/include/tpl are not in sprig\'s TxtFuncMap', () => {
    for (const f of ['toYaml', 'fromYaml', 'include', 'tpl', 'lookup']) {
      expect(error(`{{ ${f} .Params }}`).message).to.equal(`template: addon/f.yaml:1: function "${f}" not defined`);
    }
  });

  it('rejects an undeclared variable at parse time', () => {
    expect(error('a: 1\n{{ $x }}').message).to.equal('template: addon/f.yaml:2: undefined variable "$x"');
  });

  it("refuses an unknown field of a struct: can't evaluate field X in type Y", () => {
    expect(error('a: 1\nb: {{ .Config.ClusterNetwork.PodCIDR }}').message).to.equal(
      exec(2, 13, '.Config.ClusterNetwork.PodCIDR', "can't evaluate field PodCIDR in type kubeone.ClusterNetworkConfig"),
    );
    expect(error('{{ .Nope }}').message).to.equal(exec(1, 3, '.Nope', "can't evaluate field Nope in type addons.templateData"));
  });

  it('refuses an unknown method, with or without arguments', () => {
    expect(error('{{ .Config.CloudProvider.ProviderName }}').message).to.equal(
      exec(1, 10, '.Config.CloudProvider.ProviderName', "can't evaluate field ProviderName in type kubeone.CloudProviderSpec"),
    );
    expect(error('{{ .InternalImages.Lookup "CalicoNode" }}').message).to.equal(
      exec(1, 18, '.InternalImages.Lookup', "can't evaluate field Lookup in type *addons.internalImages"),
    );
  });

  it('reports a field of a nil pointer, and a field unknown to the pointed-to type', () => {
    expect(error('{{ .Config.CloudProvider.Hetzner.NetworkID }}').message).to.equal(
      exec(1, 10, '.Config.CloudProvider.Hetzner.NetworkID', 'nil pointer evaluating *kubeone.HetznerSpec.NetworkID'),
    );
    expect(error('{{ .Config.CloudProvider.AWS.Region }}').message).to.equal(
      exec(1, 10, '.Config.CloudProvider.AWS.Region', "can't evaluate field Region in type *kubeone.AWSSpec"),
    );
  });

  it("required fails only on nil and the empty string (KubeOne's semantics)", () => {
    expect(error('a: 1\n  b: {{ required "param a2 is required" .Params.a2 }}').message).to.equal(
      exec(2, 8, 'required "param a2 is required" .Params.a2', 'error calling required: param a2 is required'),
    );
    expect(error('{{ required "empty" "" }}').message).to.equal(exec(1, 3, 'required "empty" ""', 'error calling required: empty'));
    expect(render('{{ required "zero" 0 }} {{ required "false" false }} {{ required "x" .Params.zero }}')).to.equal('0 false 0');
  });

  it('checks argument counts and types as Go does', () => {
    expect(error('{{ upper }}').message).to.equal(exec(1, 3, 'upper', 'wrong number of args for upper: want 1 got 0'));
    expect(error('{{ upper 3 }}').message).to.equal(exec(1, 9, '3', 'expected string; found 3'));
    expect(error('{{ upper .Config.ClusterNetwork.IPFamily }}').message).to.equal(
      exec(1, 16, '.Config.ClusterNetwork.IPFamily', 'wrong type for value; expected string; got kubeone.IPFamily'),
    );
    expect(error('{{ hasKey .Params "a" }}').message).to.equal(exec(1, 10, '.Params', 'wrong type for value; expected map[string]interface {}; got map[string]string'));
    // Go reports the node evaluated last (the inner pipeline's last argument).
    expect(error('{{ repeat (add 1 1) "x" }}').message).to.equal(exec(1, 17, '1', 'wrong type for value; expected int; got int64'));
    expect(error('{{ .Params.a 1 }}').message).to.equal(exec(1, 10, '.Params.a', 'a is not a method but has arguments'));
    expect(error('{{ "x" 1 }}').message).to.equal(exec(1, 3, '"x"', 'can\'t give argument to non-function "x"'));
  });

  it('reports comparisons of incompatible types and bad indexes', () => {
    expect(error('{{ eq 1 "1" }}').message).to.equal(exec(1, 3, 'eq 1 "1"', 'error calling eq: incompatible types for comparison'));
    expect(error('{{ lt true false }}').message).to.equal(exec(1, 3, 'lt true false', 'error calling lt: invalid type for comparison'));
    expect(error('{{ index (list 1) 5 }}').message).to.equal(exec(1, 3, 'index (list 1) 5', 'error calling index: index out of range: 5'));
    expect(error('{{ index .Config.Proxy "HTTP" }}').message).to.equal(exec(1, 3, 'index .Config.Proxy "HTTP"', "error calling index: can't index item of type kubeone.ProxyConfig"));
    expect(error('{{ len 3 }}').message).to.equal(exec(1, 3, 'len 3', 'error calling len: len of type int'));
  });

  it('reports parse errors with the line', () => {
    expect(error('a\n{{ if .Params.a }}\nb').message).to.equal('template: addon/f.yaml:3: unexpected EOF');
    expect(error('{{ .Params.a ').message).to.equal('template: addon/f.yaml:1: unclosed action');
    expect(error('{{ break }}').message).to.equal('template: addon/f.yaml:1: {{break}} outside {{range}}');
    expect(error('{{ end }}').message).to.equal('template: addon/f.yaml:1: unexpected {{end}}');
    expect(error('{{ "a" | 3 }}').message).to.equal('template: addon/f.yaml:1: non executable command in pipeline stage 2');
    expect(error('{{ template "x" }}').message).to.equal(exec(1, 12, '{{template "x"}}', 'template "x" not defined'));
  });

  it('exits with KubeOne\'s runtime code (10)', () => {
    expect(error('{{ nope }}').exitCode).to.equal(10);
  });
});
