export type { TurnMetrics } from './turn-metrics';
export { type TurnMark, TurnMetricsRecorder } from './turn-metrics-recorder';
