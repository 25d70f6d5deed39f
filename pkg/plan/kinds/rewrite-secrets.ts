// rewrite-secrets: every Secret (and ConfigMap the configuration names) written again, so that
// it is stored with the apiservers' current primary provider, then recorded. Before the flag
// change for rotations, custom changes and disabling; after it when encryption is enabled or
// switched to the other configuration file (the objects written before still carry the old one).
import { encryptionStage } from './encryption-phases.js';

export const rewriteSecrets = {
  beforeFlags: encryptionStage('rewrite-secrets', 'rewrite every Secret with the primary provider (rotation, custom change, disabling)'),
  afterFlags: encryptionStage('rewrite-secrets', 'rewrite every Secret after the apiservers switched configuration', { afterFlags: true }),
};
