// enable-encryption: write the encryption configuration the apiservers will read, before their flag names it. The phases are computed together (encryption-phases.ts), one action per phase.
import { encryptionStage } from './encryption-phases.js';

export const enableEncryption = encryptionStage('enable-encryption', 'write the encryption configuration the apiservers will read, before their flag names it', { reportsRefusal: true });
