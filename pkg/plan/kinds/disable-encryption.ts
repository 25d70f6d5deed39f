// disable-encryption: identity first everywhere (writes in clear, every key still reads), apiservers restarted one at a time. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const disableEncryption = encryptionStage('disable-encryption', 'identity first everywhere (writes in clear, every key still reads), apiservers restarted one at a time');
