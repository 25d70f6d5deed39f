// Resume check shared by the ops that write a file group: every desired file of the group is
// on the host with the desired bytes.
import { type FileGroup, fileGroupOf } from '../desired/file-groups.js';
import type { ResumeView } from './types.js';

export function groupFilesMatch(view: ResumeView, group: FileGroup): boolean {
  const want = view.hostName ? (view.desired.managedFiles[view.hostName] ?? {}) : {};
  return Object.entries(want)
    .filter(([path]) => fileGroupOf(path) === group)
    .every(([path, sha]) => view.host?.managedFiles?.[path]?.sha256 === sha);
}
