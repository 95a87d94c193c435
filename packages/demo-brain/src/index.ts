export { DemoBrain, type DemoBrainOptions } from './demo-brain';
export { type DemoBrainFactoryOptions, demoBrainFactory } from './demo-brain-factory';
export { type DemoIntent, detectIntent, type IntentMatch } from './intents';
export { spokenTime } from './spoken-time';
