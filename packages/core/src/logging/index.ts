export { describeCauses } from './describe-causes';
export {
  type ConsoleLike,
  childLogger,
  consoleLogger,
  type Logger,
  type LogLevel,
  type LogMethod,
  silentLogger,
} from './logger';
