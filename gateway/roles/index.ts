export { describeRole, roleParts } from './roleParts.js';
export type { RoleParts } from './roleParts.js';
export { startProjectors } from './startProjectors.js';
export type { RunningProjectors } from './startProjectors.js';
export { registryTopics, startSimulatorFeeds } from './startSimulatorFeeds.js';
export type { RunningSimulatorFeeds } from './startSimulatorFeeds.js';
export { startWorkerRole } from './startWorkerRole.js';
export type { RunningWorker } from './startWorkerRole.js';
