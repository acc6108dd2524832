export type { ContextModule } from './ContextModule.js';
