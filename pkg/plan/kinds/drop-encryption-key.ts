// drop-encryption-key: key rotation, last phase: the old key goes once every Secret was rewritten without it. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const dropEncryptionKey = encryptionStage('drop-encryption-key', 'key rotation, last phase: the old key goes once every Secret was rewritten without it');
