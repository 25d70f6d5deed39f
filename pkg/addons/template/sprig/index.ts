// sprig v3's TxtFuncMap (what KubeOne passes to text/template), assembled from its families.
import type { FuncDef } from '../exec.js';
import { cryptoFuncs } from './crypto.js';
import { dataFuncs } from './data.js';
import { dateFuncs } from './dates.js';
import { stringFuncs } from './strings.js';

/** Every sprig function by name; `env` is what env/expandenv read. */
export function sprigFuncs(env: NodeJS.ProcessEnv): Map<string, FuncDef> {
  return new Map([...stringFuncs, ...dataFuncs(env), ...cryptoFuncs, ...dateFuncs]);
}
