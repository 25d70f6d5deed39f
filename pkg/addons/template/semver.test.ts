import { expect } from 'chai';
import { semverCompare } from './semver.js';

describe('semverCompare', () => {
  const cases: [string, string, boolean][] = [
    ['>= 1.34', '1.35.1', true],
    ['>= 1.34', '1.33.9', false],
    ['< 1.35', '1.34.3', true],
    ['< 1.35', '1.35.0', false],
    ['1.35', '1.35.7', true],
    ['1.35.x', '1.36.0', false],
    ['> 1.34', '1.34.9', false],
    ['> 1.34', '1.35.0', true],
    ['<= 1.35', '1.35.9', true],
    ['~1.35.1', '1.35.4', true],
    ['~1.35.1', '1.36.0', false],
    ['^1.2', '1.99.0', true],
    ['^1.2', '2.0.0', false],
    ['>=1.34, <1.36', 'v1.35.1', true],
    ['>=1.34 <1.35 || >=1.36', '1.35.1', false],
    ['>=1.34 <1.35 || >=1.36', '1.36.0', true],
    ['!= 1.35.1', '1.35.1', false],
    ['*', '0.1.0', true],
  ];
  for (const [c, v, want] of cases) it(`${c} ${want ? 'matches' : 'rejects'} ${v}`, () => expect(semverCompare(c, v)).to.equal(want));

  it('rejects an invalid version', () => {
    expect(() => semverCompare('>= 1.34', 'latest')).to.throw('invalid semantic version');
    expect(() => semverCompare('>=> 1', '1.0.0')).to.throw('improper constraint: ">=> 1"');
  });
});
