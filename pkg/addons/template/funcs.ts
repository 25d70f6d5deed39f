// The function map addon templates get, as KubeOne builds it (pkg/addons/manifest.go):
// Go's builtins, sprig's TxtFuncMap, KubeOne's helpers and CABundle. Documented in docs/addons.md.
import type { FuncMap } from './exec.js';
import { withBuiltins } from './index.js';
import { kubeoneFuncs, type KubeOneFuncOptions } from './kubeone.js';
import { sprigFuncs } from './sprig/index.js';

export interface AddonFuncOptions extends KubeOneFuncOptions {
  /** What sprig's env and expandenv read. */
  env: NodeJS.ProcessEnv;
}

export function addonFuncs(opts: AddonFuncOptions): FuncMap {
  return withBuiltins([...sprigFuncs(opts.env), ...kubeoneFuncs(opts)]);
}
