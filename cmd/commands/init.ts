// kubeone init --cluster-name NAME --kubernetes-version V [--provider P] [--terraform] [--path DIR] [-i]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { INIT_CNIS, INIT_PROVIDERS, type InitCni, type InitOptions, renderInitFiles } from '../../pkg/api/init-manifest.js';
import type { HostConfig } from '../../pkg/api/types.js';
import { isAddress } from '../../pkg/api/validate/shapes.js';
import { isDNS1123Subdomain } from '../../pkg/api/validate/util.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import type { CommandFactory } from '../shared/context.js';
import { kubernetesVersionFlag } from './config-images.js';

interface InitArgs {
  provider: string;
  'cluster-name'?: string;
  'kubernetes-version'?: string;
  terraform: boolean;
  path: string;
  interactive: boolean;
}

/** Questions on stderr, answers line by line from stdin (a terminal or a pipe). */
class Prompter {
  private readonly lines: AsyncIterator<string>;
  constructor(input: NodeJS.ReadableStream, private readonly out: NodeJS.WritableStream) {
    this.lines = createInterface({ input, terminal: false })[Symbol.asyncIterator]();
  }

  /** Asks until an answer passes `check` (which returns the value or throws why not). */
  async ask<T>(question: string, fallback: string | undefined, check: (answer: string) => T): Promise<T> {
    for (;;) {
      this.out.write(`? ${question}${fallback !== undefined && fallback !== '' ? ` [${fallback}]` : ''}: `);
      const next = await this.lines.next();
      if (next.done) throw new KubeOneError(`no answer to "${question}": the input ended`);
      const answer = next.value.trim() || fallback || '';
      try {
        return check(answer);
      } catch (error) {
        this.out.write(`  ${(error as Error).message}\n`);
      }
    }
  }

  choose<T extends string>(question: string, choices: readonly T[], fallback: T): Promise<T> {
    this.out.write(`? ${question}\n${choices.map((c, i) => `  ${i + 1}) ${c}`).join('\n')}\n`);
    return this.ask('choice (number or name)', fallback, (a) => {
      const picked = /^\d+$/.test(a) ? choices[Number(a) - 1] : choices.find((c) => c === a);
      if (!picked) throw new Error(`not one of the choices: ${a}`);
      return picked;
    });
  }

  confirm(question: string, fallback: boolean): Promise<boolean> {
    return this.ask(`${question} (y/n)`, fallback ? 'y' : 'n', (a) => {
      if (/^(y|yes)$/i.test(a)) return true;
      if (/^(n|no)$/i.test(a)) return false;
      throw new Error('answer y or n');
    });
  }
}

function clusterNameOf(value: string): string {
  if (!isDNS1123Subdomain(value)) throw new KubeOneError(`cluster name ${JSON.stringify(value)} is not valid: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`, ExitCode.config);
  return value;
}

function positive(value: string, odd = false): string {
  if (!/^[1-9]\d{0,3}$/.test(value) || (odd && Number(value) % 2 === 0)) throw new Error(`must be a positive${odd ? ' odd' : ''} number`);
  return value;
}

async function interactiveOptions(p: Prompter, a: InitArgs): Promise<{ options: InitOptions; path: string }> {
  const clusterName = await p.ask('Cluster name (a DNS name, also used for cloud resources)', a['cluster-name'], clusterNameOf);
  const provider = await p.choose('Where do the machines run? (none: machines you already have, over SSH)', Object.keys(INIT_PROVIDERS), a.provider);
  const kubernetesVersion = await p.ask('Kubernetes version', a['kubernetes-version'], (v) => kubernetesVersionFlag('Kubernetes version', v));
  const cni = await p.choose<InitCni>('CNI plugin', INIT_CNIS, 'canal');
  const encryptionProviders = await p.confirm('Encrypt Secrets at rest in etcd (encryption providers)?', false);
  const coreDNSPodDisruptionBudget = await p.confirm('A PodDisruptionBudget for CoreDNS?', false);
  const options: InitOptions = { provider, clusterName, kubernetesVersion, terraform: false, cni, encryptionProviders, coreDNSPodDisruptionBudget };
  if (provider === 'none') {
    const addresses = await p.ask('Control-plane machines: their SSH addresses, separated by spaces (1 or 3)', undefined, (v) => {
      const list = v.split(/\s+/).filter(Boolean);
      if (list.length === 0 || list.some((x) => !isAddress(x))) throw new Error('give one or more IP addresses or host names');
      return list;
    });
    const sshUsername = await p.ask('SSH user on those machines', 'root', (v) => v);
    const sshPrivateKeyFile = await p.ask('SSH private key file', '~/.ssh/id_rsa', (v) => v);
    options.controlPlaneHosts = addresses.map((publicAddress): HostConfig => ({ publicAddress, sshUsername, sshPrivateKeyFile }));
  } else if (INIT_PROVIDERS[provider]!.terraform && (await p.confirm('Write Terraform variables (terraform.tfvars) for the infrastructure?', a.terraform))) {
    options.terraform = true;
    const vars: Record<string, string> = {};
    vars.ssh_public_key_file = await p.ask('Public SSH key to put on the machines', '~/.ssh/id_rsa.pub', (v) => v);
    vars.control_plane_vm_count = await p.ask('Control-plane machines (odd, for etcd quorum)', '3', (v) => positive(v, true));
    vars.initial_machinedeployment_replicas = await p.ask('Worker machines', '2', (v) => positive(v));
    for (const name of INIT_PROVIDERS[provider]!.requiredTFVars) {
      vars[name] = await p.ask(`Terraform variable ${name}`, undefined, (v) => {
        if (!v) throw new Error('required');
        return v;
      });
    }
    options.terraformVars = vars;
  }
  const dir = await p.ask('Where to write the files', a.path, (v) => v);
  return { options, path: dir };
}

export const initCommand: CommandFactory = (ctx) => ({
  command: 'init',
  describe:
    'Write a new kubeone.yaml (and terraform.tfvars for providers with Terraform configurations). ' +
    'Exit codes: 0; 10 without --kubernetes-version; 15 for an invalid name or version; 1 for other bad arguments or when a file to write exists already',
  builder: (y) =>
    y
      .option('provider', { type: 'string', choices: Object.keys(INIT_PROVIDERS), default: 'none', describe: 'where the machines run' })
      .option('cluster-name', { type: 'string', describe: 'name of the cluster (required)' })
      .option('kubernetes-version', { type: 'string', describe: 'Kubernetes version (required)' })
      .option('terraform', { type: 'boolean', default: true, describe: 'also write terraform.tfvars (providers with Terraform configurations only)' })
      .option('path', { type: 'string', default: '.', describe: 'directory to write to; --path=- prints the manifest instead' })
      .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'ask for each setting (answers from stdin)' })
      .example('kubeone init --cluster-name demo --kubernetes-version 1.35.1', 'bare-metal manifest in ./kubeone.yaml')
      .example('kubeone init --provider hetzner --cluster-name demo --kubernetes-version 1.35.1 --path demo', 'demo/kubeone.yaml and demo/terraform.tfvars'),
  handler: ctx.run<InitArgs>(async (a) => {
    let options: InitOptions;
    let dir = a.path;
    if (a.interactive) {
      if (!ctx.io.stdin) throw new KubeOneError('--interactive needs an input to read the answers from');
      ({ options, path: dir } = await interactiveOptions(new Prompter(ctx.io.stdin, ctx.io.stderr), a));
    } else {
      if (!a['kubernetes-version']) throw new KubeOneError('--kubernetes-version is a required flag', ExitCode.runtime);
      if (!a['cluster-name']) throw new KubeOneError('cluster name is required (--cluster-name)');
      options = {
        provider: a.provider,
        clusterName: clusterNameOf(a['cluster-name']),
        kubernetesVersion: kubernetesVersionFlag('--kubernetes-version', a['kubernetes-version']),
        terraform: a.terraform,
        cni: 'canal',
        encryptionProviders: false,
        coreDNSPodDisruptionBudget: false,
      };
    }
    const files = renderInitFiles(options);
    if (dir === '-') {
      if (files.tfvars) throw new KubeOneError('--path - prints only the manifest: add --terraform=false');
      ctx.io.stdout.write(files.manifest);
      return;
    }
    const targets: [string, string][] = [[path.join(dir, 'kubeone.yaml'), files.manifest]];
    if (files.tfvars) targets.push([path.join(dir, 'terraform.tfvars'), files.tfvars]);
    const existing = targets.filter(([file]) => existsSync(file)).map(([file]) => file);
    if (existing.length > 0) throw new KubeOneError(`${existing.join(' and ')} exists already: nothing written (move it away or choose another --path)`);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    for (const [file, content] of targets) {
      writeFileSync(file, content, { flag: 'wx' });
      ctx.print(`wrote ${file}`);
    }
    if (files.tfvars) ctx.print(`Terraform configurations are not shipped with kubeone: use KubeOne's examples/terraform/${options.provider.replace('/flatcar', '_flatcar')} with these variables, then kubeone apply -m ${targets[0]![0]} -t <terraform dir>`);
  }),
});
