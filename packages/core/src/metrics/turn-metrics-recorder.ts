import type { TurnMetrics } from './turn-metrics';

/** Moments of one turn, on the session clock (ms). Each is recorded once: the first time wins. */
export type TurnMark =
  | 'speechEnd'
  | 'sttFinal'
  | 'turnEnd'
  | 'llmRequest'
  | 'firstToken'
  | 'firstSentence'
  | 'ttsRequest'
  | 'ttsFirstChunk'
  | 'firstAudio'
  | 'firstPlayed'
  | 'onset'
  | 'pause'
  | 'commit';

/** Collects the moments of a turn and turns them into {@link TurnMetrics}. */
export class TurnMetricsRecorder {
  readonly #marks = new Map<TurnMark, number>();
  preemptiveWasted = 0;

  constructor(
    readonly turnId: string,
    readonly speechId: string,
  ) {}

  mark(name: TurnMark, at: number): void {
    if (!this.#marks.has(name)) this.#marks.set(name, at);
  }

  /** Sets a moment even if it was recorded before (e.g. a restarted request). */
  remark(name: TurnMark, at: number): void {
    this.#marks.set(name, at);
  }

  has(name: TurnMark): boolean {
    return this.#marks.has(name);
  }

  toMetrics(audioMs: number, interrupted: boolean): TurnMetrics {
    const span = (from: TurnMark, to: TurnMark) => {
      const start = this.#marks.get(from);
      const end = this.#marks.get(to);
      return start === undefined || end === undefined ? undefined : Math.max(0, end - start);
    };
    const userEnd: TurnMark = this.#marks.has('speechEnd') ? 'speechEnd' : 'turnEnd';
    const metrics: Record<string, number | string | boolean | undefined> = {
      turnId: this.turnId,
      speechId: this.speechId,
      endOfUtteranceDelayMs: span('speechEnd', 'turnEnd'),
      sttFinalDelayMs: span('speechEnd', 'sttFinal'),
      llmTtftMs: span('llmRequest', 'firstToken'),
      textAggregationMs: span('firstToken', 'firstSentence'),
      ttsTtfbMs: span('ttsRequest', 'ttsFirstChunk'),
      serverTtfaMs: span(userEnd, 'firstAudio'),
      voiceToVoiceMs: span(userEnd, 'firstPlayed'),
      interruptPauseMs: span('onset', 'pause'),
      interruptCommitMs: span('onset', 'commit'),
      preemptiveWasted: this.preemptiveWasted,
      audioMs,
      interrupted,
    };
    for (const key of Object.keys(metrics)) if (metrics[key] === undefined) delete metrics[key];
    return metrics as unknown as TurnMetrics;
  }
}
