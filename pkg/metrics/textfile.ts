// Drift-detection metrics in the node_exporter textfile collector format, so a cron job
// running `kubeone plan --metrics-file PATH` feeds Prometheus without a push gateway.
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';

export interface PlanMetricsInput {
  cluster: string;
  plan: Plan | null;
  snapshot: Snapshot | null;
  /** Seconds since the epoch when the plan was computed (the caller owns the clock). */
  timestampSeconds: number;
  /** Whether planning failed (the plan is then null). */
  failed: boolean;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

/** Escapes a label value as the exposition format demands: backslash, quote, newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`];
  for (const sample of family.samples) {
    const labels = Object.entries(sample.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
      .join(',');
    lines.push(`${family.name}{${labels}} ${Number.isFinite(sample.value) ? sample.value : 0}`);
  }
  return lines.join('\n');
}

/** Renders the metrics text (pure). */
export function renderPlanMetrics(input: PlanMetricsInput): string {
  const cluster = { cluster: input.cluster };
  const byKind = new Map<string, number>();
  for (const action of input.plan?.actions ?? []) byKind.set(action.kind, (byKind.get(action.kind) ?? 0) + 1);
  const hosts = input.snapshot?.state.hosts ?? [];
  const families: Family[] = [
    {
      name: 'kubeone_plan_pending_actions',
      help: 'Actions the last plan would execute, by action kind.',
      samples: [...byKind.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, value]) => ({ labels: { ...cluster, kind }, value })),
    },
    {
      name: 'kubeone_plan_pending_actions_total',
      help: 'All actions the last plan would execute.',
      samples: [{ labels: cluster, value: input.plan?.actions.length ?? 0 }],
    },
    {
      name: 'kubeone_plan_refusals',
      help: 'Changes the last plan refused to make.',
      samples: [{ labels: cluster, value: input.plan?.refusals.length ?? 0 }],
    },
    {
      name: 'kubeone_unreachable_hosts',
      help: 'Hosts of the manifest the probe could not reach.',
      samples: [{ labels: cluster, value: hosts.filter((h) => !h.reachable).length }],
    },
    {
      name: 'kubeone_plan_failed',
      help: '1 when the last plan run failed before producing a plan.',
      samples: [{ labels: cluster, value: input.failed ? 1 : 0 }],
    },
    {
      name: 'kubeone_plan_timestamp_seconds',
      help: 'When the last plan was computed, in seconds since the epoch.',
      samples: [{ labels: cluster, value: input.timestampSeconds }],
    },
    {
      name: 'kubeone_probe_duration_seconds',
      help: 'How long the probe of the last plan took.',
      samples: [{ labels: cluster, value: (input.snapshot?.meta.durationMs ?? 0) / 1000 }],
    },
  ];
  return families.map(renderFamily).join('\n') + '\n';
}

/**
 * Writes the file atomically: the collector must never read a half-written file, so the
 * text goes to a temporary file in the same directory, is fsynced, then renamed over.
 */
export async function writeTextfileAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
