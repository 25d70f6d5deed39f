// Simulated kubeadm: the subcommands and flags KubeOne uses, with kubeadm's
// output and error conventions. Version baked in at bundle time.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { exitAfterFlush, FlagError, flagBool, flagList, flagString, parseArgs, type ParsedArgs } from '../common/flags.js';
import { bakedVersion } from '../common/versions.js';
import { ConfigError } from './config/decode.js';
import { defaultClusterConfig, defaultJoinConfig, normalizeVersion } from './config/defaults.js';
import { B, GLOBAL, INIT_FLAGS, initConfigFromFlags, JOIN_FLAGS, joinDocFromFlags, L, readConfig, S, SHORT } from './config/from-flags.js';
import { checkExpiration, renewAll } from './cmd/certs.js';
import { imagesList, imagesPull, printVersion } from './cmd/images.js';
import { INIT_PHASES, runInit } from './cmd/init.js';
import { runJoin } from './cmd/join.js';
import { runReset } from './cmd/reset.js';
import { tokenCreate, tokenDelete, tokenList } from './cmd/token.js';
import { upgradeApply, upgradeNode, upgradePlan } from './cmd/upgrade.js';
import { KubeadmError, formatFatal, out } from './output.js';
import { p, PATHS } from './paths.js';
import { randomToken } from './config/defaults.js';
import { KubeClient } from '../common/kube-client.js';
import { loadKubeconfig } from '../common/kubeconfig.js';
import { parseStoredClusterConfiguration } from './config/serialize.js';
import { parse } from 'yaml';

const UPGRADE_FLAGS = {
  ...GLOBAL, yes: B, force: B, config: S, kubeconfig: S, 'certificate-renewal': B, 'etcd-upgrade': B, 'dry-run': B,
  'ignore-preflight-errors': L, 'allow-experimental-upgrades': B, 'allow-release-candidate-upgrades': B, 'print-config': B,
  patches: S, 'skip-phases': L, output: S,
};

async function cmdInit(args: string[]): Promise<void> {
  if (args[0] === 'phase') {
    const [, phaseName, ...rest] = args;
    const a = parseArgs(rest, INIT_FLAGS, SHORT);
    if (!phaseName || !(INIT_PHASES as readonly string[]).includes(phaseName)) {
      throw new KubeadmError(`unknown command "${phaseName ?? ''}" for "kubeadm init phase"`);
    }
    const cfg = initConfigFromFlags(a);
    await runInit({ cfg, ignorePreflightErrors: flagList(a, 'ignore-preflight-errors'), only: { phase: phaseName, sub: a.positional[0] } });
    return;
  }
  const a = parseArgs(args, INIT_FLAGS, SHORT);
  if (a.positional.length) throw new KubeadmError(`unknown command "${a.positional[0]}" for "kubeadm init"`);
  const cfg = initConfigFromFlags(a);
  await runInit({ cfg, ignorePreflightErrors: flagList(a, 'ignore-preflight-errors'), skipTokenPrint: flagBool(a, 'skip-token-print') });
}

async function cmdJoin(args: string[]): Promise<void> {
  const a = parseArgs(args, JOIN_FLAGS, SHORT);
  const join = defaultJoinConfig(joinDocFromFlags(a));
  join.skipPhases = [...join.skipPhases, ...flagList(a, 'skip-phases')];
  await runJoin(join, flagList(a, 'ignore-preflight-errors'));
}

async function cmdUpgrade(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, UPGRADE_FLAGS, { ...SHORT, y: 'yes', f: 'force', o: 'output' });
  const kubeconfig = flagString(a, 'kubeconfig') ?? PATHS.admin;
  const renewal = flagString(a, 'certificate-renewal') !== 'false';
  switch (sub) {
    case 'apply':
      return upgradeApply({ version: a.positional[0], yes: flagBool(a, 'yes'), force: flagBool(a, 'force'), kubeconfig, certificateRenewal: renewal, etcdUpgrade: flagString(a, 'etcd-upgrade') !== 'false' });
    case 'plan':
      return upgradePlan({ version: a.positional[0], kubeconfig });
    case 'node':
      return upgradeNode({ certificateRenewal: renewal });
    default:
      throw new KubeadmError(sub ? `unknown command "${sub}" for "kubeadm upgrade"` : 'missing subcommand; "upgrade" is not meant to be run on its own');
  }
}

async function cmdReset(args: string[]): Promise<void> {
  const a = parseArgs(args, { ...GLOBAL, force: B, 'cert-dir': S, 'cri-socket': S, 'ignore-preflight-errors': L, 'skip-phases': L, 'dry-run': B, 'cleanup-tmp-dir': B, config: S, kubeconfig: S }, { ...SHORT, f: 'force' });
  await runReset({ force: flagBool(a, 'force'), certDir: flagString(a, 'cert-dir') ?? '/etc/kubernetes/pki', skipPhases: flagList(a, 'skip-phases') });
}

async function cmdToken(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { ...GLOBAL, ttl: S, description: S, usages: L, groups: L, 'print-join-command': B, config: S, 'certificate-key': S, kubeconfig: S, 'dry-run': B, output: S, 'allow-missing-template-keys': B, 'show-managed-fields': B }, { ...SHORT, o: 'output' });
  const kubeconfig = flagString(a, 'kubeconfig') ?? PATHS.admin;
  switch (sub) {
    case 'create':
      return tokenCreate({ token: a.positional[0], ttl: flagString(a, 'ttl') ?? '24h0m0s', description: flagString(a, 'description'), usages: flagList(a, 'usages').length ? flagList(a, 'usages') : ['signing', 'authentication'], groups: flagList(a, 'groups').length ? flagList(a, 'groups') : ['system:bootstrappers:kubeadm:default-node-token'], printJoinCommand: flagBool(a, 'print-join-command'), kubeconfig });
    case 'list':
      return tokenList(kubeconfig);
    case 'delete':
      return tokenDelete(a.positional, kubeconfig);
    case 'generate':
      out(randomToken());
      return;
    default:
      throw new KubeadmError(sub ? `unknown command "${sub}" for "kubeadm token"` : 'missing subcommand; "token" is not meant to be run on its own');
  }
}

/** The cluster configuration for commands that may read it from the cluster. */
async function clusterConfigFor(a: ParsedArgs): Promise<ReturnType<typeof defaultClusterConfig>> {
  if (flagString(a, 'config')) return defaultClusterConfig(readConfig(flagString(a, 'config')!).ClusterConfiguration, flagString(a, 'kubernetes-version') ? normalizeVersion(flagString(a, 'kubernetes-version')!) : undefined);
  if (!flagString(a, 'kubernetes-version') && fs.existsSync(p(PATHS.admin))) {
    try {
      const client = new KubeClient(loadKubeconfig(p(PATHS.admin)), 'kubeadm', 5000);
      const cm = await client.get('/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
      client.close();
      if (cm) return parseStoredClusterConfiguration(cm.data.ClusterConfiguration);
    } catch {
      /* fall back to defaults */
    }
  }
  const cfg = defaultClusterConfig(undefined, flagString(a, 'kubernetes-version') ? normalizeVersion(flagString(a, 'kubernetes-version')!) : undefined);
  if (flagString(a, 'image-repository')) cfg.imageRepository = flagString(a, 'image-repository')!;
  return cfg;
}

async function cmdCerts(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { ...GLOBAL, config: S, 'cert-dir': S, kubeconfig: S, output: S, 'csr-only': B, 'csr-dir': S }, { ...SHORT, o: 'output' });
  const cfg = await clusterConfigFor(a);
  if (flagString(a, 'cert-dir')) cfg.certificatesDir = flagString(a, 'cert-dir')!;
  const nodeName = localNodeName();
  switch (sub) {
    case 'check-expiration':
      return checkExpiration(cfg, nodeName);
    case 'renew': {
      const what = a.positional[0];
      if (what !== 'all') throw new KubeadmError(what ? `the simulator renews only "all" (got "${what}")` : 'missing subcommand; "renew" is not meant to be run on its own');
      const manifest = p(`${PATHS.manifests}/kube-apiserver.yaml`);
      let advertise = '';
      if (fs.existsSync(manifest)) {
        const pod = parse(fs.readFileSync(manifest, 'utf8')) as any;
        advertise = String(pod?.metadata?.annotations?.['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] ?? '').split(':')[0] ?? '';
      }
      renewAll(cfg, { nodeName, advertiseAddress: advertise, bindPort: 6443 });
      return;
    }
    case 'certificate-key':
      out(Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('hex'));
      return;
    default:
      throw new KubeadmError(sub ? `unknown command "${sub}" for "kubeadm certs"` : 'missing subcommand; "certs" is not meant to be run on its own');
  }
}

/** The node name is the CN of the kubelet's client certificate, else the hostname. */
function localNodeName(): string {
  try {
    const cfg = loadKubeconfig(p(PATHS.kubelet));
    const m = cfg.cert ? /CN=system:node:(\S+)/.exec(new crypto.X509Certificate(cfg.cert).subject) : undefined;
    if (m) return m[1]!;
  } catch {
    /* no kubelet.conf */
  }
  return os.hostname().toLowerCase();
}

async function cmdConfig(args: string[]): Promise<void> {
  const [sub, verb, ...rest] = args;
  if (sub !== 'images') throw new KubeadmError(sub ? `unknown command "${sub}" for "kubeadm config"` : 'missing subcommand; "config" is not meant to be run on its own');
  const a = parseArgs(rest, { ...GLOBAL, config: S, 'kubernetes-version': S, 'image-repository': S, 'feature-gates': S, output: S, 'allow-missing-template-keys': B, 'cri-socket': S, 'show-managed-fields': B, kubeconfig: S }, { ...SHORT, o: 'output' });
  const cfg = await clusterConfigFor(a);
  if (verb === 'list') return imagesList(cfg, flagString(a, 'output'));
  if (verb === 'pull') return imagesPull(cfg);
  throw new KubeadmError(verb ? `unknown command "${verb}" for "kubeadm config images"` : 'missing subcommand');
}

const HELP = `kubeadm: easily bootstrap a secure Kubernetes cluster (simulator, ${bakedVersion()})

Usage:
  kubeadm [command]

Available Commands:
  certs       Commands related to handling kubernetes certificates
  config      Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster
  init        Run this command in order to set up the Kubernetes control plane
  join        Run this on any machine you wish to join an existing cluster
  reset       Performs a best effort revert of changes made to this host by 'kubeadm init' or 'kubeadm join'
  token       Manage bootstrap tokens
  upgrade     Upgrade your cluster smoothly to a newer version with this command
  version     Print the version of kubeadm
`;

/** Global flags may come before the subcommand: "kubeadm --v=6 init --config ...". */
export function splitGlobalFlags(argv: string[]): string[] {
  const out = [...argv];
  const leading: string[] = [];
  while (out.length && out[0]!.startsWith('-') && !['-h', '--help'].includes(out[0]!)) {
    const flag = out.shift()!;
    leading.push(flag);
    if (/^(--v|-v|--rootfs)$/.test(flag) && out.length) leading.push(out.shift()!);
  }
  parseArgs(leading, GLOBAL, SHORT);
  return out.length ? [out[0]!, ...leading, ...out.slice(1)] : [];
}

export async function main(argv: string[]): Promise<number> {
  let cmd: string | undefined;
  let rest: string[];
  try {
    [cmd, ...rest] = splitGlobalFlags(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nTo see the stack trace of this error execute with --v=5 or higher\n`);
    return 1;
  }
  try {
    switch (cmd) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(HELP);
        return 0;
      case 'init':
        await cmdInit(rest);
        return 0;
      case 'join':
        await cmdJoin(rest);
        return 0;
      case 'upgrade':
        await cmdUpgrade(rest);
        return 0;
      case 'reset':
        await cmdReset(rest);
        return 0;
      case 'token':
        await cmdToken(rest);
        return 0;
      case 'certs':
        await cmdCerts(rest);
        return 0;
      case 'config':
        await cmdConfig(rest);
        return 0;
      case 'version': {
        const a = parseArgs(rest, { ...GLOBAL, output: S }, { ...SHORT, o: 'output' });
        printVersion(flagString(a, 'output'));
        return 0;
      }
      default:
        process.stderr.write(`unknown command "${cmd}" for "kubeadm"\nTo see the stack trace of this error execute with --v=5 or higher\n`);
        return 1;
    }
  } catch (err) {
    if (err instanceof FlagError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nTo see the stack trace of this error execute with --v=5 or higher\n`);
      return 1;
    }
    process.stderr.write(formatFatal(err) + '\n');
    if (process.env.KUBESIM_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => exitAfterFlush(code));
