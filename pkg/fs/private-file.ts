// Files that may hold cluster details (saved plans, snapshots): mode 0600, also when the file
// existed before with a wider mode. The mode is set before any byte is written.
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';

export function writePrivateFile(path: string, content: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
