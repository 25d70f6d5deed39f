// Build step (`npm run build`): writes ajv's standalone code of every schema in
// pkg/schemas/compiled.ts into dist, so the CLI validates without compiling schemas at start.
//   tsx hack/gen-validators.ts [OUT_DIR]   (default dist/validators)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { ajvFor, COMPILED_SCHEMAS, generatedValidatorPath, type SchemaName } from '../pkg/schemas/compiled.js';

const outDir = process.argv[2] ?? fileURLToPath(new URL('../dist/validators/', import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const name of Object.keys(COMPILED_SCHEMAS) as SchemaName[]) {
  const ajv = ajvFor(name, { code: { source: true } });
  const validate = ajv.compile(COMPILED_SCHEMAS[name].schema());
  writeFileSync(generatedValidatorPath(name, outDir), standaloneCode(ajv, validate));
}
console.log(`wrote ${Object.keys(COMPILED_SCHEMAS).length} standalone validators to ${outDir}`);
