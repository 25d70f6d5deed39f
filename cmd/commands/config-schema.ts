import { manifestSchema } from '../../pkg/api/schema.js';
import type { CommandFactory } from '../shared/context.js';

/** `kubeone config schema`: the manifest JSON Schema (draft 2020-12), for editors and CI. */
export const configSchemaCommand: CommandFactory = (ctx) => ({
  command: 'schema',
  describe: 'Print the KubeOneCluster v1beta2 JSON Schema',
  handler: ctx.run(() => ctx.print(JSON.stringify(manifestSchema(), null, 2))),
});
