// remove-encryption-config: remove the encryption configurations no apiserver reads and no Secret needs. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const removeEncryptionConfig = encryptionStage('remove-encryption-config', 'remove the encryption configurations no apiserver reads and no Secret needs', { afterFlags: true });
