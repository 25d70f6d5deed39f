// Public interface of pkg/addons (see docs/addons.md).
export { renderAddons, fullObject, AddonRenderError, needsClusterCA, renderWithClusterCA, type RenderAddonsOptions } from './render.js';
export { readClusterCA, caFingerprint, type ClusterCA } from './certificates.js';
export { diffAddons, objectPatch, type AddonDiff } from './diff.js';
export { formatAddonDiffs } from './format.js';
export { hashObject, normalizeObject, projectLiveOntoRendered, redactObject, objectKey, ADDON_LABEL } from './normalize.js';
export { applyAddonObjects, pruneAddonObjects, listAddonObjects, liveFacts, FIELD_MANAGER, type ObjectRef, type ApplyResult } from './apply.js';
export { listAddons, formatAddonTable, formatAddonJson, type AddonListEntry, type AddonStatus } from './list.js';
export { selectAddons, EMBEDDED_ADDONS, PATCH_ADDONS, type AddonChoice, type AddonSelection } from './selection.js';
export { KUBEONE_IMAGES, resolveImage } from './images.js';
