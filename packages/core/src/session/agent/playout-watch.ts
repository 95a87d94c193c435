import type { SchedulerLike, Subscription } from 'rxjs';
import type { Clock } from '../../internal/clock';
import type { SpeechRun } from './speech-run';

/**
 * Ends a speech when its audio has played out, for listeners that never report
 * `playbackFinished`: once everything is generated, it waits the playout still ahead (from
 * acks, else real time) plus `slackMs`, checks again, and calls `onPlayedOut`. A pause stops
 * the wait; resume or a new ack starts it again.
 */
export class PlayoutWatch {
  #timer: Subscription | undefined;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly now: Clock,
    private readonly slackMs: number,
    private readonly isCurrent: (run: SpeechRun) => boolean,
    private readonly onPlayedOut: (run: SpeechRun) => void,
  ) {}

  /** (Re)starts the wait for `run`; does nothing until it is fully generated and not paused. */
  watch(run: SpeechRun): void {
    this.stop();
    if (!this.isCurrent(run) || !run.isGenerated || run.playout.isPaused) return;
    const waitMs = run.playout.remainingMs(this.now()) + this.slackMs;
    this.#timer = this.scheduler.schedule(() => {
      if (!this.isCurrent(run)) return;
      if (run.playout.remainingMs(this.now()) > 0) this.watch(run);
      else this.onPlayedOut(run);
    }, waitMs);
  }

  stop(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
  }
}
