import { expect } from 'chai';
import { escapeHtml, html, Markup } from './html.js';

describe('ui html escaping', () => {
  it('escapes the characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \``)).to.equal('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;');
  });

  it('escapes every interpolated value, in arrays too, but not markup html built', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    const out = html`<td title="${evil}">${evil}</td>${[evil, html`<b>${evil}</b>`]}`;
    expect(out).to.be.instanceOf(Markup);
    expect(out.text).not.to.include('<img');
    expect(out.text).to.include('<b>&quot;&gt;&lt;img');
    expect(out.text.match(/<b>/g)).to.have.length(1);
  });

  it('drops null, undefined and false; prints numbers and true', () => {
    expect(html`${null}${undefined}${false}${0}${true}`.text).to.equal('0true');
  });

  it('a string that looks like markup stays text (no escape hatch through toString)', () => {
    const fake = { toString: () => '<i>' } as unknown as string;
    expect(html`${fake}`.text).to.equal('&lt;i&gt;');
  });
});
