import { createHash } from 'node:crypto';

/** sha256 of `data` as 64 lowercase hex digits: how file contents, manifests and values are compared. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
