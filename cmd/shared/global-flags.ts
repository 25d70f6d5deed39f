import type { Argv } from 'yargs';

/** Global flags, the same as KubeOne's persistent flags. */
export interface GlobalArgs {
  manifest: string;
  tfjson?: string;
  credentials?: string;
  verbose: boolean;
  debug: boolean;
  'log-format': string;
}

export function addGlobalFlags<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return y
    .option('manifest', { alias: 'm', type: 'string', default: './kubeone.yaml', describe: 'path to the KubeOneCluster manifest ("-" for stdin)', global: true })
    .option('tfjson', { alias: 't', type: 'string', describe: 'Terraform output JSON: a file, "-" for stdin, or a Terraform directory', global: true })
    .option('credentials', { alias: 'c', type: 'string', describe: 'credentials file (YAML map of strings)', global: true })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'debug logging', global: true })
    .option('debug', { alias: 'd', type: 'boolean', default: false, describe: 'print a stack trace on error', global: true })
    .option('log-format', { alias: 'l', type: 'string', default: 'text', describe: 'log format: text or json', global: true }) as unknown as Argv<
    T & GlobalArgs
  >;
}
