export * from './errors/index';
export * from './frames/index';
export * from './limits/index';
export * from './logging/index';
export * from './metrics/index';
export * from './operators/index';
export * from './providers/index';
export * from './session/index';
