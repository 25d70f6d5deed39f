// Pre-flight checks with kubeadm's names, so --ignore-preflight-errors and
// nodeRegistration.ignorePreflightErrors work as with the real tool.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { canConnect, socketPath } from '../../common/host.js';
import { out, warn } from '../output.js';
import { p } from '../paths.js';

export interface Check {
  name: string;
  run: () => Promise<string | undefined> | string | undefined;
  /** Warnings never fail the run. */
  warning?: boolean;
}

function portFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export function portCheck(port: number): Check {
  return { name: `Port-${port}`, run: async () => ((await portFree(port)) ? undefined : `Port ${port} is in use`) };
}

export function fileAvailable(path: string): Check {
  return { name: `FileAvailable-${path.replace(/\//g, '-')}`, run: () => (fs.existsSync(p(path)) ? `${path} already exists` : undefined) };
}

export function dirAvailable(path: string): Check {
  return {
    name: `DirAvailable-${path.replace(/\//g, '-')}`,
    run: () => {
      try {
        return fs.readdirSync(p(path)).length ? `${path} is not empty` : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function fileContent(path: string, want: string): Check {
  return {
    name: `FileContent-${path.replace(/\//g, '-')}`,
    run: () => {
      try {
        return fs.readFileSync(path, 'utf8').trim() === want ? undefined : `${path} contents are not set to ${want}`;
      } catch {
        return `${path} does not exist`;
      }
    },
  };
}

export function criCheck(criSocket: string): Check {
  return {
    name: 'CRI',
    run: async () => ((await canConnect(socketPath(criSocket))) ? undefined : `could not connect to the container runtime: validate CRI v1 runtime API for endpoint "${criSocket}": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix ${socketPath(criSocket)}: connect: no such file or directory"`),
  };
}

export function rootCheck(): Check {
  return { name: 'IsPrivilegedUser', run: () => (process.getuid?.() === 0 || process.env.KUBESIM_ROOT ? undefined : 'user is not running as root') };
}

export function kubeletServiceCheck(): Check {
  return {
    name: 'Service-Kubelet',
    warning: true,
    run: () => {
      try {
        execFileSync('systemctl', ['is-enabled', 'kubelet'], { stdio: 'ignore' });
        return undefined;
      } catch {
        return "kubelet service is not enabled, please run 'systemctl enable kubelet.service'";
      }
    },
  };
}

export async function runChecks(checks: Check[], ignore: string[]): Promise<void> {
  out('[preflight] Running pre-flight checks');
  const ignoreAll = ignore.some((i) => i.toLowerCase() === 'all');
  const errors: string[] = [];
  for (const c of checks) {
    const msg = await c.run();
    if (!msg) continue;
    if (c.warning || ignoreAll || ignore.some((i) => i.toLowerCase() === c.name.toLowerCase())) {
      warn(`[WARNING ${c.name}]: ${msg}`);
      continue;
    }
    errors.push(`\t[ERROR ${c.name}]: ${msg}`);
  }
  if (errors.length) {
    throw new Error(`[preflight] Some fatal errors occurred:\n${errors.join('\n')}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\``);
  }
}

export function controlPlaneChecks(criSocket: string, dataDir: string | undefined): Check[] {
  const manifests = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((c) => fileAvailable(`/etc/kubernetes/manifests/${c}.yaml`));
  return [
    rootCheck(),
    criCheck(criSocket),
    portCheck(6443),
    portCheck(10259),
    portCheck(10257),
    ...manifests,
    portCheck(10250),
    ...(dataDir ? [portCheck(2379), portCheck(2380), dirAvailable(dataDir)] : []),
    fileContent('/proc/sys/net/ipv4/ip_forward', '1'),
    kubeletServiceCheck(),
  ];
}

export function nodeChecks(criSocket: string): Check[] {
  return [
    rootCheck(),
    criCheck(criSocket),
    fileAvailable('/etc/kubernetes/kubelet.conf'),
    fileAvailable('/etc/kubernetes/bootstrap-kubelet.conf'),
    fileAvailable('/etc/kubernetes/pki/ca.crt'),
    portCheck(10250),
    fileContent('/proc/sys/net/ipv4/ip_forward', '1'),
    kubeletServiceCheck(),
  ];
}
