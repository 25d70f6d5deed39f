// add-encryption-key: key rotation, first phase: the new key as secondary everywhere, apiservers restarted one at a time. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const addEncryptionKey = encryptionStage('add-encryption-key', 'key rotation, first phase: the new key as secondary everywhere, apiservers restarted one at a time');
