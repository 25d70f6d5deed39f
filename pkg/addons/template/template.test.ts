import { expect } from 'chai';
import { builtinFuncs, renderTemplate, TemplateError } from './index.js';

const funcs = builtinFuncs({ overwriteRegistry: '' });
const r = (src: string, data: unknown = {}): string => renderTemplate('t.yaml', src, data, funcs);

describe('template subset', () => {
  it('prints fields, variables and literals', () => {
    expect(r('a: {{ .Config.Name }}', { Config: { Name: 'x' } })).to.equal('a: x');
    expect(r('{{ $n := .A }}{{ $n }}-{{ $ | len }}', { A: 'v' })).to.equal('v-1');
    expect(r('{{ "q" }} {{ 3 }} {{ true }}')).to.equal('q 3 true');
    expect(r('{{ .Params.missing }}', { Params: {} })).to.equal('<no value>');
  });

  it('trims whitespace around {{- and -}}', () => {
    expect(r('a  \n  {{- "b" -}}  \n c')).to.equal('abc');
  });

  it('handles if/else if/else and with', () => {
    const t = '{{ if eq .X 1 }}one{{ else if eq .X 2 }}two{{ else }}many{{ end }}';
    expect([1, 2, 3].map((X) => r(t, { X }))).to.deep.equal(['one', 'two', 'many']);
    expect(r('{{ with .A }}{{ .B }}{{ else }}none{{ end }}', { A: { B: 'b' } })).to.equal('b');
    expect(r('{{ with .A }}{{ .B }}{{ else }}none{{ end }}', { A: null })).to.equal('none');
  });

  it('ranges over lists and maps (keys sorted), with else and variables', () => {
    expect(r('{{ range $i, $v := .L }}{{ $i }}={{ $v }};{{ end }}', { L: ['a', 'b'] })).to.equal('0=a;1=b;');
    expect(r('{{ range $k, $v := .M }}{{ $k }}={{ $v }};{{ end }}', { M: { z: 1, a: 2 } })).to.equal('a=2;z=1;');
    expect(r('{{ range .L }}x{{ else }}empty{{ end }}', { L: [] })).to.equal('empty');
    expect(r('{{ range .L }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}', { L: [1, 2, 3] })).to.equal('1');
  });

  it('pipes the previous value as last argument', () => {
    expect(r('{{ .P.x | default "d" | quote }}', { P: {} })).to.equal('"d"');
    expect(r('{{ .P.x | default "d" }}', { P: { x: 'set' } })).to.equal('set');
    expect(r('k:{{ toYaml .M | nindent 2 }}', { M: { a: 1, b: ['x'] } })).to.equal('k:\n  a: 1\n  b:\n    - x');
    expect(r('{{ "s" | b64enc }}')).to.equal('cw==');
    expect(r('{{ (printf "%s-%d" "a" 3) | upper }}')).to.equal('A-3');
  });

  it('short-circuits and/or and negates', () => {
    expect(r('{{ and .A .B.C }}', { A: false })).to.equal('false');
    expect(r('{{ or .A "fallback" }}', { A: '' })).to.equal('fallback');
    expect(r('{{ not .A }}', { A: '' })).to.equal('true');
  });

  it('calls methods with arguments (.InternalImages.Get "X")', () => {
    const data = { InternalImages: { Get: (n: string) => `img/${n}` } };
    expect(r('{{ .InternalImages.Get "CalicoNode" }}', data)).to.equal('img/CalicoNode');
  });

  it('rewrites registries with Registry when overwriteRegistry is set', () => {
    const f = builtinFuncs({ overwriteRegistry: 'mirror.local' });
    expect(renderTemplate('t', '{{ Registry "registry.k8s.io" }}/x', {}, f)).to.equal('mirror.local/x');
    expect(r('{{ Registry "registry.k8s.io" }}/x')).to.equal('registry.k8s.io/x');
  });

  it('ignores comments', () => {
    expect(r('a{{/* note */}}b{{- /* trimmed */ -}}  c')).to.equal('abc');
  });

  it('names file and line in errors', () => {
    const bad = (src: string, data: unknown = {}): TemplateError => {
      try {
        r(src, data);
      } catch (e) {
        return e as TemplateError;
      }
      throw new Error('no error');
    };
    expect(bad('a\nb\n{{ nope 1 }}').message).to.equal('template: t.yaml:3: function "nope" not defined');
    expect(bad('a\n{{ if .X }}\nb').message).to.match(/^template: t\.yaml:2: unexpected EOF/);
    expect(bad('x\n\n{{ required "param foo is required" .Params.foo }}', { Params: {} }).message).to.equal(
      'template: t.yaml:3: error calling required: param foo is required',
    );
    expect(bad('{{ .A.B.C }}', { A: {} }).message).to.contain('nil pointer evaluating .A.B.C');
    expect(bad('\n{{ "unterminated }}').line).to.equal(2);
  });

  it('has the sprig helpers KubeOne addons use', () => {
    expect(r('{{ if semverCompare ">= 1.35" .V }}new{{ else }}old{{ end }}', { V: '1.35.1' })).to.equal('new');
    expect(r('{{ hasKey .M "a" }} {{ keys .M | join "," }}', { M: { b: 1, a: 2 } })).to.equal('true a,b');
    expect(r('{{ regexReplaceAll "^v(.*)$" .V "${1}" }} {{ regexMatch `^1\\.` .V }}', { V: 'v1.2' })).to.equal('1.2 false');
  });
});
