export type { TurnMetrics } from './turn-metrics';
