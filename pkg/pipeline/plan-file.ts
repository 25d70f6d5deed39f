// Saved plans (`kubeone plan --out FILE`, `kubeone apply FILE`) are data to verify, never to
// trust: the file must validate against schemas/plan-v1.json, be bound to the current snapshot
// and manifest, and every action must equal what the planner produces for them now. Only then
// does apply run, and what it runs is the freshly computed plan. Files are written 0600.
import { readFileSync, statSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { canonicalJson } from '../api/canonical-json.js';
import { ExitCode, KubeOneError } from '../errors/exit-codes.js';
import { writePrivateFile } from '../fs/private-file.js';
import { redactText } from '../log/redact.js';
import { compiledValidator } from '../schemas/compiled.js';
import type { Action, Plan } from '../plan/types.js';
import { renderPlanJson } from '../views/plan-json.js';

/** Far above a 5,000-host upgrade plan (9 MB; 15 MB as earlier versions wrote it, indented): anything bigger is not a plan we wrote. */
const MAX_PLAN_BYTES = 128 * 1024 * 1024;


export class PlanFileError extends KubeOneError {
  constructor(message: string, exitCode: number = ExitCode.config) {
    super(message, exitCode);
    this.name = 'PlanFileError';
  }
}

/** `kubeone plan --out`: the plan exactly as `-o json` prints it (through the same last-wall redaction), mode 0600. */
export function writePlanFile(path: string, plan: Plan): void {
  writePrivateFile(path, redactText(renderPlanJson(plan)));
}

function describe(errors: ErrorObject[]): string {
  const lines = errors
    // The if/then pairs of the per-op params repeat the real error; keep the one that says what is wrong.
    .filter((e) => e.keyword !== 'if')
    .slice(0, 5)
    .map((e) => `  ${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
  return lines.join('\n');
}

/** Reads and validates a saved plan; throws PlanFileError (exit 15) naming what is wrong. */
export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    if (statSync(path).size > MAX_PLAN_BYTES) throw new Error(`larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlanFileError(`${path}: cannot read the plan file: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${path}: not a kubeone plan (invalid JSON: ${(error as Error).message})`);
  }
  const validatePlan = compiledValidator('plan');
  if (!validatePlan(data)) {
    throw new PlanFileError(`${path}: not a valid kubeone plan (schemas/plan-v1.json):\n${describe(validatePlan.errors ?? [])}`);
  }
  return data as unknown as Plan;
}

/** What an action does, without its prose reason (which may change with time, e.g. days until a certificate expires). */
function executable(action: Action | undefined): string {
  if (!action) return '';
  const { reason: _reason, ...rest } = action;
  return canonicalJson(rest);
}

/**
 * The saved plan must be the plan the planner produces now: same snapshot, same manifest, and
 * action for action the same work. Throws PlanFileError naming the first difference.
 */
export function verifySavedPlan(saved: Plan, fresh: Plan, path: string): void {
  if (saved.snapshotHash !== fresh.snapshotHash) {
    throw new PlanFileError(
      `stale plan: ${path} was computed from snapshot ${saved.snapshotHash.slice(0, 12)}, the hosts are now at ${fresh.snapshotHash.slice(0, 12)}; run \`kubeone plan\` again`,
      ExitCode.default,
    );
  }
  if (saved.manifestHash !== fresh.manifestHash) {
    throw new PlanFileError(`stale plan: ${path} was computed from a different manifest; run \`kubeone plan\` again`, ExitCode.default);
  }
  const count = Math.max(saved.actions.length, fresh.actions.length);
  for (let i = 0; i < count; i++) {
    const mine = saved.actions[i];
    const want = fresh.actions[i];
    if (executable(mine) === executable(want)) continue;
    const what = mine ? `action ${i + 1} (${mine.id})` : `the plan ends after ${i} action(s)`;
    const expected = want ? `the planner plans ${want.id} there` : 'the planner plans nothing more';
    throw new PlanFileError(
      `refused: ${path}: ${what} is not what the planner produces for the current manifest and snapshot (${expected}); nothing was changed. Run \`kubeone plan --out ${path}\` again`,
    );
  }
}
