// runApiServerFromArgs: start the simulator from the command line kubeadm writes into
// /etc/kubernetes/manifests/kube-apiserver.yaml.
import { BOOLEAN_FLAGS, SIM_FLAGS, VALUE_FLAGS } from './known-flags.js';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from './server.js';

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** Flags that may be given several times (values are joined with commas). */
const REPEATABLE = new Set(['service-account-key-file', 'service-account-issuer', 'api-audiences', 'tls-sni-cert-key']);

/** pflag-style parsing: --name=value, --name value, --bool, --bool=false. */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const args = [...argv];
  // The manifest's command starts with the binary name.
  if (args[0] !== undefined && !args[0].startsWith('-')) args.shift();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) throw new FlagError(`unexpected argument "${arg}": kube-apiserver takes flags only`);
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const known = BOOLEAN_FLAGS.has(name) || VALUE_FLAGS.has(name) || SIM_FLAGS.has(name);
    if (!known) throw new FlagError(`unknown flag: --${name}`);
    let value: string;
    if (eq >= 0) {
      value = body.slice(eq + 1);
    } else if (BOOLEAN_FLAGS.has(name)) {
      value = 'true';
    } else {
      const next = args[++i];
      if (next === undefined) throw new FlagError(`flag needs an argument: --${name}`);
      value = next;
    }
    const prev = out.get(name);
    out.set(name, REPEATABLE.has(name) && prev !== undefined ? `${prev},${value}` : value);
  }
  return out;
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new FlagError(`invalid boolean value "${v}"`);
}

function required(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (!v) throw new FlagError(`--${name} is required by the simulator`);
  return v;
}

export function optionsFromFlags(flags: Map<string, string>, env: NodeJS.ProcessEnv = process.env): ApiServerOptions {
  const version = flags.get('sim-version') ?? env.KUBESIM_VERSION;
  if (!version) throw new FlagError('the version to report is unknown: pass --sim-version or set KUBESIM_VERSION');
  const endpoints = required(flags, 'etcd-servers').split(',').map((s) => s.trim()).filter(Boolean);
  const port = Number(flags.get('secure-port') ?? '6443');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`invalid --secure-port "${flags.get('secure-port')}"`);
  const timeout = flags.get('sim-etcd-request-timeout');
  return {
    port,
    bindAddress: flags.get('bind-address') ?? '0.0.0.0',
    advertiseAddress: flags.get('advertise-address'),
    version: version.startsWith('v') ? version : `v${version}`,
    tls: { certFile: required(flags, 'tls-cert-file'), keyFile: required(flags, 'tls-private-key-file'), clientCAFile: required(flags, 'client-ca-file') },
    etcd: {
      endpoints,
      caFile: flags.get('etcd-cafile'),
      certFile: flags.get('etcd-certfile'),
      keyFile: flags.get('etcd-keyfile'),
      prefix: flags.get('etcd-prefix') ?? '/registry',
      requestTimeoutMs: timeout ? Number(timeout) : undefined,
    },
    serviceClusterIPRange: flags.get('service-cluster-ip-range') ?? '10.96.0.0/12',
    serviceNodePortRange: flags.get('service-node-port-range'),
    enableBootstrapTokenAuth: bool(flags.get('enable-bootstrap-token-auth'), false),
    anonymousAuth: bool(flags.get('anonymous-auth'), true),
    tokenAuthFile: flags.get('token-auth-file'),
    serviceAccount: serviceAccountOptions(flags),
    encryptionProviderConfig: flags.get('encryption-provider-config') || undefined,
    ...(flags.get('audit-policy-file') && flags.get('audit-log-path') ? { audit: { policyFile: flags.get('audit-policy-file')!, logPath: flags.get('audit-log-path')! } } : {}),
    admission: { enabled: flags.get('enable-admission-plugins'), configFile: flags.get('admission-control-config-file') || undefined },
    ...(env.KUBESIM_MOUNTS !== undefined ? { mounts: env.KUBESIM_MOUNTS.split(',').filter(Boolean) } : {}),
    log: (line) => process.stderr.write(`${new Date().toISOString()} kube-apiserver ${line}\n`),
  };
}

function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function serviceAccountOptions(flags: Map<string, string>): ApiServerOptions['serviceAccount'] {
  const issuers = list(flags.get('service-account-issuer'));
  if (issuers.length === 0) return undefined;
  return {
    issuer: issuers[0]!,
    signingKeyFile: flags.get('service-account-signing-key-file'),
    keyFiles: list(flags.get('service-account-key-file')),
    apiAudiences: list(flags.get('api-audiences')),
  };
}

/** Parse kube-apiserver flags and start serving. Throws FlagError on bad flags. */
export async function runApiServerFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningApiServer> {
  return startApiServer(optionsFromFlags(parseFlags(argv), env));
}
