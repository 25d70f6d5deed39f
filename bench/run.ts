// `npm run bench -- <name> [args]`: runs bench/<name>.ts, which exports run().
// Benchmarks print `name key=value ...` lines; speed targets live here, never in tests.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

async function available(): Promise<string[]> {
  const files = await readdir(benchDir);
  return files.filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).sort();
}

const [name, ...args] = process.argv.slice(2);
const names = await available();
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(', ') || '(none)'}`);
  process.exit(name ? 1 : 0);
}
const module = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as { run?: (args: string[]) => Promise<void> };
if (typeof module.run !== 'function') {
  console.error(`bench/${name}.ts exports no run()`);
  process.exit(1);
}
await module.run(args);
