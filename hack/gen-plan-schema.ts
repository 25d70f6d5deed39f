// Writes schemas/plan-v1.json from the planner's kinds and the op registry
// (pkg/pipeline/plan-schema.ts). Run after adding an action kind or a step op.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planSchemaText } from '../pkg/pipeline/plan-schema.js';

const path = fileURLToPath(new URL('../schemas/plan-v1.json', import.meta.url));
writeFileSync(path, planSchemaText());
console.log(`wrote ${path}`);
