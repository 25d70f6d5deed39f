// Scripts around kubeadm: init, join, upgrade, reset, certificate renewal, kubelet restart.
// Each is guarded so a re-run (after a crash or a dropped connection) is a no-op or finishes
// the job. Secrets (join tokens) never appear in these texts: they travel in 0600 files.
import { checkVersionAndArch } from './binaries.js';
import { renderScript, shq } from './shell.js';

/** Where kubeadm configuration files are uploaded, relative to the login user's home. */
export const KUBEADM_CFG_DIR = 'kubeone/cfg';
export const KUBEADM_INIT_CONFIG = `${KUBEADM_CFG_DIR}/init.yaml`;
export const KUBEADM_JOIN_CONFIG = `${KUBEADM_CFG_DIR}/join.yaml`;

/**
 * Progress records of our own init/join: `<what>.started` before kubeadm runs, `.done` after.
 * kubeadm writes admin.conf/kubelet.conf before it has finished, so their presence alone
 * cannot tell a finished init/join from one a killed run left halfway.
 */
const STATE_DIR = '/var/lib/kubeone';

/** As KubeOne after every kubeadm command that writes certificates: readable by root only (CIS 1.1.20). */
const RESTRICT_PKI_CERTS = "if sudo test -d /etc/kubernetes/pki; then sudo find /etc/kubernetes/pki/ -name '*.crt' -exec chmod 600 {} +; fi";

function resumableKubeadm(what: 'init' | 'join', guardFile: string, run: string[]): string[] {
  const started = `${STATE_DIR}/${what}.started`;
  const done = `${STATE_DIR}/${what}.done`;
  return [
    `if sudo test -f ${guardFile} && { sudo test -f ${done} || ! sudo test -f ${started}; }; then`,
    `  echo "already done (${guardFile} exists)"; exit 0`,
    'fi',
    `if sudo test -f ${started} && ! sudo test -f ${done}; then`,
    `  echo "an earlier ${what} was interrupted halfway: resetting this host's kubeadm state and starting over" >&2`,
    '  sudo kubeadm reset --force',
    'fi',
    `sudo mkdir -p ${STATE_DIR}`,
    `sudo rm -f ${done}`,
    `sudo touch ${started}`,
    ...run,
    `sudo touch ${done}`,
  ];
}

export function renderKubeadmInit(configPath: string = KUBEADM_INIT_CONFIG): string {
  return renderScript(
    resumableKubeadm('init', '/etc/kubernetes/admin.conf', [
      `sudo kubeadm init --config=${shq(configPath)}`,
      // kubeadm 1.29+ also writes super-admin.conf: the tool only needs admin.conf.
      'sudo rm -f /etc/kubernetes/super-admin.conf',
      RESTRICT_PKI_CERTS,
    ]),
  );
}

/**
 * Join: `tokenConfigPath` is a 0600 JoinConfiguration holding the bootstrap token, written by
 * the executor just before and removed by this script on every exit path.
 */
export function renderKubeadmJoin(controlPlane: boolean, tokenConfigPath: string): string {
  const guard = controlPlane ? '/etc/kubernetes/admin.conf' : '/etc/kubernetes/kubelet.conf';
  return renderScript([
    // The trap body is itself a quoted word: inside double quotes the path would be expanded.
    `trap ${shq(`sudo rm -f ${shq(tokenConfigPath)}`)} EXIT`,
    ...resumableKubeadm('join', guard, [`sudo kubeadm join --config=${shq(tokenConfigPath)}`, RESTRICT_PKI_CERTS]),
  ]);
}

/**
 * Before a join: a join a killed run left halfway (`join.started` without `join.done`) is
 * undone with kubeadm reset, so that the shared PKI can be put back before joining again.
 */
export function renderJoinCleanup(): string {
  return renderScript([
    `if sudo test -f ${STATE_DIR}/join.started && ! sudo test -f ${STATE_DIR}/join.done; then`,
    '  echo "an earlier join was interrupted halfway: resetting this host\'s kubeadm state" >&2',
    '  sudo kubeadm reset --force',
    `  sudo rm -f ${STATE_DIR}/join.started`,
    'fi',
  ]);
}

/** Leader only; prints the token on stdout (read into memory, never logged). */
export function renderTokenCreate(): string {
  return renderScript(['sudo kubeadm token create --ttl 15m']);
}

function apiserverAtVersion(version: string): string {
  checkVersionAndArch(version, 'amd64');
  return `sudo grep -q ${shq(`kube-apiserver:v${version}`)} /etc/kubernetes/manifests/kube-apiserver.yaml 2>/dev/null`;
}

/** `force` (apply --force-upgrade): the upgrade runs at the version it is at, as KubeOne's flag does. */
export function renderUpgradeApply(version: string, force = false): string {
  checkVersionAndArch(version, 'amd64');
  return renderScript([
    ...(force ? [] : [`if ${apiserverAtVersion(version)}; then echo ${shq(`control plane already at v${version}`)}; exit 0; fi`]),
    `sudo kubeadm upgrade apply --yes ${shq(`v${version}`)}`,
    RESTRICT_PKI_CERTS,
  ]);
}

/** Control planes: guarded by the apiserver image; workers: kubeadm upgrade node is itself idempotent. */
export function renderUpgradeNode(version: string, controlPlane: boolean, force = false): string {
  const guard = controlPlane && !force
    ? [`if ${apiserverAtVersion(version)}; then echo ${shq(`control plane already at v${version}`)}; exit 0; fi`]
    : [];
  return renderScript([...guard, 'sudo kubeadm upgrade node', RESTRICT_PKI_CERTS]);
}

/** Unused container images (apply --prune-images, after an upgrade), through crictl as KubeOne does. */
export function renderPruneImages(): string {
  return renderScript([
    'if ! command -v crictl >/dev/null; then echo "crictl is not installed: unused images cannot be pruned (install cri-tools)" >&2; exit 1; fi',
    'sudo crictl rmi --prune',
  ]);
}

/**
 * Control-plane flags changed in the manifest: store our ClusterConfiguration in
 * kube-system/kubeadm-config, then let kubeadm re-render this host's static pods from it.
 * Both commands are idempotent, so no guard.
 */
export function renderReconfigureControlPlane(configPath: string = KUBEADM_INIT_CONFIG): string {
  return renderScript([uploadClusterConfigurationLine(configPath), 'sudo kubeadm upgrade node']);
}

function uploadClusterConfigurationLine(configPath: string): string {
  return `sudo kubeadm init phase upload-config kubeadm --config=${shq(configPath)}`;
}

/**
 * Before `kubeadm upgrade apply` to the manifest's version: store our ClusterConfiguration in
 * kube-system/kubeadm-config (as KubeOne does before it upgrades the leader), so the upgrade
 * renders the static pods with the flags of the new version instead of the old ones, and no
 * second restart of every control plane is needed afterwards. Idempotent.
 */
export function renderUploadClusterConfiguration(configPath: string = KUBEADM_INIT_CONFIG): string {
  return renderScript([uploadClusterConfigurationLine(configPath)]);
}

export function renderKubeadmReset(): string {
  return renderScript([
    'if command -v kubeadm >/dev/null && { sudo test -d /etc/kubernetes/manifests || sudo test -f /etc/kubernetes/kubelet.conf; }; then',
    '  sudo kubeadm reset --force || true',
    'fi',
    'if systemctl is-active --quiet kubelet; then sudo systemctl stop kubelet; fi',
    'sudo rm -rf /etc/kubernetes /var/lib/etcd /var/lib/kubelet/config.yaml /var/lib/kubelet/kubeadm-flags.env /var/lib/kubelet/pki /etc/cni/net.d "$HOME/kubeone"',
    `sudo rm -f ${STATE_DIR}/inflight.json ${['init', 'join'].flatMap((w) => [`${STATE_DIR}/${w}.started`, `${STATE_DIR}/${w}.done`]).join(' ')}`,
  ]);
}

/**
 * Renews every certificate, then restarts the static pods so they load them. With
 * `reissueApiserverFrom` (an InitConfiguration + ClusterConfiguration file), the apiserver's
 * serving certificate is issued anew from it first, as KubeOne does when apiEndpoint names are
 * missing from it: `kubeadm certs renew` keeps a certificate's names, only a new one gets the
 * manifest's certSANs. (Issued after the renewal, so that the renewal cannot undo it.)
 */
export function renderCertsRenew(reissueApiserverFrom?: string): string {
  const parked = '/etc/kubernetes/tmp/kubeone-restart';
  const moveAll = (from: string, to: string) =>
    `sudo find ${from} -maxdepth 1 -name '*.yaml' -exec mv -t ${to} {} +`;
  return renderScript([
    // An interrupted earlier run may have parked the manifests: put them back first.
    `if sudo test -d ${parked}; then ${moveAll(parked, '/etc/kubernetes/manifests')}; fi`,
    'sudo kubeadm certs renew all',
    ...(reissueApiserverFrom
      ? [
          'sudo rm -f /etc/kubernetes/pki/apiserver.crt /etc/kubernetes/pki/apiserver.key',
          `sudo kubeadm init phase certs apiserver --config=${shq(reissueApiserverFrom)}`,
        ]
      : []),
    RESTRICT_PKI_CERTS,
    `sudo mkdir -p ${parked}`,
    moveAll('/etc/kubernetes/manifests', parked),
    'sleep 25',
    moveAll(parked, '/etc/kubernetes/manifests'),
    `sudo rmdir ${parked}`,
  ]);
}

export function renderKubeletRestart(): string {
  return renderScript(['sudo systemctl daemon-reload', 'sudo systemctl restart kubelet']);
}
