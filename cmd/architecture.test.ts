// Rules of the code's shape that the compiler does not check: the pure planner and the plan
// command stay apart from the executor, and the build ships no test code.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Relative imports of a source file (`import ... from './x.js'`, `export ... from`), resolved to .ts paths. */
function importsOf(file: string, withTypes: boolean): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
    if (m[1] && !withTypes) continue;
    out.push(resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts')));
  }
  for (const m of text.matchAll(/import\('(\.[^']+)'\)/g)) out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  return out;
}

/** Every file reachable from `entry` through runtime (not type-only) relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...importsOf(file, false));
  }
  return seen;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('nothing under pkg/plan imports pkg/executor, not even a type', () => {
    const offenders = sources(join(ROOT, 'pkg/plan')).flatMap((file) =>
      importsOf(file, true)
        .filter((target) => relative(ROOT, target).startsWith('pkg/executor/'))
        .map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`),
    );
    expect(offenders).to.deep.equal([]);
  });

  it('neither the planner nor `kubeone plan` loads the executor at run time', () => {
    for (const entry of ['pkg/plan/index.ts', 'cmd/commands/plan.ts']) {
      const executor = [...reachable(join(ROOT, entry))].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('pkg/executor/'));
      expect(executor, entry).to.deep.equal([]);
    }
  });

  it('the build compiles no test, test helper or test data', function () {
    this.timeout(120_000);
    const listed = execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--listFilesOnly'], { cwd: ROOT })
      .toString()
      .split('\n')
      .filter((f) => f.startsWith(ROOT) && !f.includes('/node_modules/'))
      .map((f) => relative(ROOT, f));
    expect(listed).to.include('pkg/plan/index.ts');
    expect(listed.filter((f) => /(^|\/)(testing|testdata)\/|\.test\.ts$|test-helper|fixture/.test(f))).to.deep.equal([]);
  });
});
