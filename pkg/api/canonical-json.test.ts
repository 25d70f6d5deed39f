import { expect } from 'chai';
import fc from 'fast-check';

import { canonicalJson, canonicalView, sortKeys } from './canonical-json.js';

/** The definition: keys sorted with Array.prototype.sort's default order. */
function reference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : reference(v)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) if ((value as Record<string, unknown>)[key] !== undefined) out[key] = reference((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

describe('canonical JSON', () => {
  it('prints keys in sorted order at every depth, drops undefined members and nulls undefined elements', () => {
    const value = { b: 1, a: { d: [3, undefined, { z: 1, y: undefined, x: 2 }], c: 'x' }, e: undefined };
    expect(canonicalJson(value)).to.equal('{"a":{"c":"x","d":[3,null,{"x":2,"z":1}]},"b":1}');
  });

  it('sortKeys and canonicalView print what a key-sorted deep copy prints, for any JSON-like value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.string(), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('__proto__', '10', '9', 'a', 'B')), tie('value'), { maxKeys: 6 }),
    }));
    fc.assert(
      fc.property(json.value, (value) => {
        const expected = JSON.stringify(reference(value), null, 2);
        expect(JSON.stringify(sortKeys(value), null, 2)).to.equal(expected);
        expect(JSON.stringify(canonicalView(value), null, 2)).to.equal(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('canonicalView returns an already sorted value itself and copies only what is out of order', () => {
    const sorted = { a: [{ b: 1, c: 2 }], d: { e: 1 } };
    expect(canonicalView(sorted)).to.equal(sorted);
    const mixed = { a: [{ c: 2, b: 1 }], d: { e: 1 } };
    const view = canonicalView(mixed) as typeof mixed;
    expect(view).to.not.equal(mixed);
    expect(view.d).to.equal(mixed.d);
    expect(Object.keys(view.a[0]!)).to.deep.equal(['b', 'c']);
    expect(Object.keys(mixed.a[0]!)).to.deep.equal(['c', 'b']);
  });
});
