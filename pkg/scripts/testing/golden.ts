// Golden-file comparison for renderer tests: `UPDATE_GOLDEN=1 npx mocha ...` rewrites the files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const TESTDATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');

export function expectGolden(name: string, actual: string): void {
  const path = join(TESTDATA, `${name}.golden`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) throw new Error(`golden file ${path} missing`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `golden ${name} differs (UPDATE_GOLDEN=1 to accept)`).to.equal(readFileSync(path, 'utf8'));
}
