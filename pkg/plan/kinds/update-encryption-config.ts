// update-encryption-config: write a changed customEncryptionConfiguration and restart the apiservers one at a time. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const updateEncryptionConfig = encryptionStage('update-encryption-config', 'write a changed customEncryptionConfiguration and restart the apiservers one at a time');
