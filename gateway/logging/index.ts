export { deferChild } from './deferChild.js';
export { logRequest } from './logRequest.js';
export { useDocumentIdentity } from './useDocumentIdentity.js';
export { announceStart } from './announceStart.js';
export type { StartAnnouncement } from './announceStart.js';
