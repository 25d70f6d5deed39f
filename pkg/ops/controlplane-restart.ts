// controlplane.restart: a static-pod component reads its files (encryption configuration, audit
// policy, admission configuration, CA bundle) only at start. The kubelet restarts a static pod
// when its manifest changes, so the restart is an annotation in the manifest; the step then
// waits for the new pod (its mirror pod carries the annotation) to be ready. The probe then
// sees a start time no earlier than the files it read (changedSinceStart).
import type { JSONSchemaType } from 'ajv';
import { parse, stringify } from 'yaml';
import { coreApi } from '../kube/core-api.js';
import { changedSinceStart, RESTARTABLE_COMPONENTS, type RestartableComponent } from '../kubeadm/control-plane-files.js';
import { shq } from '../scripts/shell.js';
import { SshError } from '../ssh/types.js';
import { stepHost } from './context.js';
import { PreconditionError, TransientError } from './errors.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface RestartParams {
  component: RestartableComponent;
  /** The Node whose mirror pod shows the restarted component. */
  node: string;
}

const PARAMS: JSONSchemaType<RestartParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['component', 'node'],
  properties: { component: { type: 'string', enum: [...RESTARTABLE_COMPONENTS] }, node: NAME },
};

export const RESTART_ANNOTATION = 'kubeone.k8c.io/restarted-at';
const MANIFESTS = '/etc/kubernetes/manifests';
const WAIT_MS = 5 * 60_000;
const POLL_MS = 2_000;

export const controlplaneRestart = defineOp<RestartParams>({
  summary: 'restart a control-plane component (annotation in its static pod manifest) and wait until it is ready again',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step, signal }, { component, node }) {
    const { t } = await stepHost(deps, step.host);
    const manifest = `${MANIFESTS}/${component}.yaml`;
    if ((await t.exec(`sudo test -f ${shq(manifest)}`)).code !== 0) throw new PreconditionError(`${t.host}: ${manifest} does not exist (the control plane is not initialized)`);
    const pod = parse((await t.readFile(manifest)).toString('utf8')) as { metadata?: { annotations?: Record<string, string> } };
    const token = `${new Date().toISOString()}/${step.id}`;
    pod.metadata ??= {};
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [RESTART_ANNOTATION]: token };
    // Written beside, then moved in: the kubelet reads every file of the directory.
    const staged = `/etc/kubernetes/tmp/kubeone-${component}.yaml`;
    await t.writeFile(staged, stringify(pod, { lineWidth: 0 }), { mode: 0o600, owner: 'root:root' });
    const moved = await t.exec(`sudo mv -f ${shq(staged)} ${shq(manifest)}`);
    if (moved.code !== 0) throw new SshError(t.host, 'commandFailed', `moving ${staged} to ${manifest} failed: ${moved.stderr.trim()}`);

    const core = await coreApi(await deps.kubeConfig());
    const deadline = deps.clock.now().getTime() + WAIT_MS;
    let last = 'its mirror pod was not read yet';
    for (;;) {
      try {
        const mirror = await core.readNamespacedPod({ name: `${component}-${node}`, namespace: 'kube-system' });
        const status = mirror.status?.containerStatuses?.[0];
        if (mirror.metadata?.annotations?.[RESTART_ANNOTATION] !== token) last = 'the kubelet has not restarted it yet';
        else if (!status?.state?.running || !status.ready) last = 'it is not ready yet';
        else return;
      } catch (error) {
        last = `the API did not answer (${(error as Error).message.split('\n')[0]})`;
      }
      if (deps.clock.now().getTime() > deadline) throw new TransientError(`${component} on ${t.host} did not come back within ${WAIT_MS / 60_000} minutes: ${last}`);
      await deps.clock.sleep(POLL_MS, signal);
    }
  },
  stillDone: ({ snapshot, host, hostName }, { component }) =>
    changedSinceStart(host?.inputsModified, snapshot.state.kube?.started?.[component]?.[hostName ?? ''], component).length === 0,
  model: (world, { component }, host) => world.restarted(world.host(host), [component]),
});
