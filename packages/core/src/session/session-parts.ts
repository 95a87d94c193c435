import type { SchedulerLike } from 'rxjs';
import type { Clock } from '../internal/clock';
import type { ResolvedVoiceSessionConfig } from './config';
import type { ResolvedVoicePipeline } from './pipeline/stages';
import type { SessionOutlets } from './session-outlets';
import type { StateTracker } from './state-tracker';

/** What the parts of one session (the agent's side, turn-taking) share: its settings, clock and outlets. */
export interface SessionParts {
  readonly sessionId: string;
  readonly config: ResolvedVoiceSessionConfig;
  readonly pipeline: ResolvedVoicePipeline;
  readonly scheduler: SchedulerLike;
  readonly now: Clock;
  readonly out: SessionOutlets;
  readonly states: StateTracker;
}
