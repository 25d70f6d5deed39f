// promote-encryption-key: key rotation, second phase: the new key primary everywhere, apiservers restarted one at a time. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const promoteEncryptionKey = encryptionStage('promote-encryption-key', 'key rotation, second phase: the new key primary everywhere, apiservers restarted one at a time');
