// Which Helm releases an interrupted run of ours was running helm on (the journal's open
// actions whose in-flight step is a helm op): a pending release among them is ours to
// recover, not someone else's operation in progress.
import type { InterruptedAction } from '../journal/resume.js';

export function helmReleasesInFlight(interrupted: ReadonlyMap<string, InterruptedAction>): string[] {
  const out = new Set<string>();
  for (const [actionId, entry] of interrupted) {
    if (!entry.inFlightStep?.startsWith('helm.release.')) continue;
    const key = /^[a-z]+-helm-release:(.+)$/.exec(actionId)?.[1];
    if (key) out.add(key);
  }
  return [...out].sort();
}
