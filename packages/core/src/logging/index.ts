export { describeCauses } from './describe-causes';
export { voxErrorLogLine } from './error-fields';
export {
  type ConsoleLike,
  childLogger,
  consoleLogger,
  type Logger,
  type LogLevel,
  type LogMethod,
  silentLogger,
} from './logger';
export { redactingLogger, redactSecrets } from './redact-secrets';
