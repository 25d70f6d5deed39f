import { expect } from 'chai';
import { formatDuration, parseDuration } from './duration.js';

describe('Go durations', () => {
  it('parses and formats like time.Duration', () => {
    expect(parseDuration('8760h0m0s')).to.equal(8760 * 3_600_000);
    expect(parseDuration('1h30m')).to.equal(90 * 60_000);
    expect(parseDuration('1.5h')).to.equal(90 * 60_000);
    expect(parseDuration('0')).to.equal(0);
    expect(formatDuration(3_600_000)).to.equal('1h0m0s');
    expect(formatDuration(90_000)).to.equal('1m30s');
    expect(() => parseDuration('10 days')).to.throw(/invalid duration/);
    expect(() => parseDuration('')).to.throw(/invalid duration/);
  });
});
