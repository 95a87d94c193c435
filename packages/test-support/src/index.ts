export { type Collected, collect, textOf } from './llm-stream';
export { trackTimers } from './timers';
