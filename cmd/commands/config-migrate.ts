import { KubeOneError } from '../../pkg/errors/exit-codes.js';
import type { CommandFactory } from '../shared/context.js';

/**
 * `kubeone config migrate`: KubeOne 1.14 keeps the command but v1beta3 is not an API it
 * accepts, so the command always fails with the same message (exit 1) and reads nothing.
 */
export const configMigrateCommand: CommandFactory = (ctx) => ({
  command: 'migrate',
  describe: 'Migrate the manifest to the v1beta3 API: not possible in this version (always exit 1, as KubeOne 1.14)',
  handler: ctx.run(() => {
    throw new KubeOneError('migrating to the v1beta3 API is not possible in this KubeOne version');
  }),
});
