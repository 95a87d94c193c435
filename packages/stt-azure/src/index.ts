export { AzureStt } from './azure-stt';
export { voxErrorFromCancellation } from './errors';
export { azureSttFactory } from './factory';
export { type AzureSttOptions, azureSttOptionsSchema, type ResolvedAzureSttOptions } from './options';
