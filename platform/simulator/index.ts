export { createPrng } from './createPrng.js';
export type { Prng } from './createPrng.js';
export { createSimulator } from './createSimulator.js';
export type { SimulatedStory, Simulator, SimulatorFaults, SimulatorOptions, SimulatorStats, StoryWriter } from './createSimulator.js';
export { feedSimulator } from './feedSimulator.js';
export type { SimulatorFeed } from './feedSimulator.js';
export type { SimulatedRecord } from './SimulatedRecord.js';
