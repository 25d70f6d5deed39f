// "Is the effect of this finished step still visible?" from the fresh snapshot. A step an
// interrupted run finished is skipped only when it is; otherwise it is run again (all steps
// are idempotent, so that is safe, just slower).
import type { Action, DesiredState, Step } from '../plan/types.js';
import type { HostFacts, Snapshot } from '../snapshot/types.js';
import type { InterruptedAction } from './resume.js';
import { nodeOfStep } from './resume.js';
import type { SkipDecider } from './types.js';

function hostFacts(snapshot: Snapshot, host: string | undefined): HostFacts | undefined {
  return host ? snapshot.state.hosts.find((h) => h.name === host) : undefined;
}

function managedFilesMatch(snapshot: Snapshot, desired: DesiredState, host: string | undefined, prefix: string): boolean {
  const facts = hostFacts(snapshot, host);
  const want = host ? desired.managedFiles[host] ?? {} : {};
  return Object.entries(want)
    .filter(([path]) => path.startsWith(prefix))
    .every(([path, sha]) => facts?.managedFiles?.[path]?.sha256 === sha);
}

export function effectStillVisible(step: Step, snapshot: Snapshot, desired: DesiredState): boolean {
  const facts = hostFacts(snapshot, step.host);
  const node = nodeOfStep(step);
  const nodeFacts = node ? snapshot.state.kube?.nodes.find((n) => n.name === node || n.host === node) : undefined;
  const version = typeof step.params?.version === 'string' ? step.params.version : undefined;
  switch (step.op) {
    case 'node.cordon':
    case 'node.drain':
      return nodeFacts?.unschedulable === true;
    case 'node.uncordon':
      return nodeFacts !== undefined && !nodeFacts.unschedulable;
    case 'node.delete':
      return nodeFacts === undefined;
    case 'host.containerd.install':
      return facts?.containerd?.unit.installed === true;
    case 'host.containerd.configure':
      return managedFilesMatch(snapshot, desired, step.host, '/etc/containerd/');
    case 'host.kubelet.configure':
      return managedFilesMatch(snapshot, desired, step.host, '/var/lib/kubelet/');
    case 'host.binaries.install': {
      const components = (step.params?.components as string[] | undefined) ?? ['kubeadm', 'kubelet', 'kubectl'];
      return components.every((c) => {
        if (c === 'kubelet') return facts?.kubelet?.version === version;
        if (c === 'kubeadm') return facts?.kubeadm?.version === version;
        return facts?.kubectl?.version === version;
      });
    }
    case 'kubeadm.init':
      return facts?.adminConf === true;
    case 'kubeadm.join':
      return step.params?.controlPlane ? facts?.adminConf === true : facts?.kubelet?.kubeconfig === true;
    case 'kubeadm.upgrade.apply':
      return facts?.staticPods?.['kube-apiserver'] === version;
    case 'kubeadm.reset':
      return facts?.kubelet?.kubeconfig !== true && facts?.adminConf !== true;
    default:
      // Trust the journal (config uploads, PKI copies, restarts, addon applies).
      return true;
  }
}

export function journalSkipDecider(
  interrupted: Map<string, InterruptedAction>,
  visible: (step: Step) => boolean,
): SkipDecider {
  return async (action: Action, step: Step) => {
    const entry = interrupted.get(action.id);
    if (!entry || !entry.finishedSteps.has(step.id)) return null;
    return visible(step) ? 'finished by an earlier run' : null;
  };
}
