import { catchError, throwError } from 'rxjs';
import { toVoxError } from '../../errors/to-vox-error';
import { bargeIn } from '../../operators/barge-in';
import { detectEndOfTurn } from '../../operators/detect-end-of-turn';
import { suppressEcho } from '../../operators/echo/suppress-echo';
import { synthesizeSentences } from '../../operators/synthesize-sentences';
import { defaultReply } from './default-reply';
import type { ResolvedVoicePipeline, VoicePipeline } from './stages';

/**
 * The stages a session uses where `pipeline` names none — today's behaviour, exported so a
 * custom stage can wrap a default rather than rewrite it.
 *
 * @example
 * ```ts
 * // Say "Bob" the way the agent should, but keep showing and storing what the model wrote.
 * pipeline: {
 *   sentences: (sentences$) => sentences$.pipe(map((s) => ({ ...s, text: s.text.replace(/\bBob\b/g, 'Bobb') }))),
 *   speech: (sentences$, context) => defaultStages.speech(sentences$.pipe(tap(log)), context),
 * }
 * ```
 */
export const defaultStages = {
  audioIn: (frames$, { playedAgentAudio, echo }) =>
    echo === false ? frames$ : frames$.pipe(suppressEcho(playedAgentAudio, echo)),
  transcripts: (events$) => events$,
  endOfTurn: (signals$, { mode, minEndpointDelayMs, scheduler }) =>
    signals$.pipe(detectEndOfTurn({ mode, minEndpointDelayMs, scheduler })),
  bargeIn: (signals$, { options, scheduler }) => signals$.pipe(bargeIn({ ...options, scheduler })),
  reply: defaultReply,
  sentences: (sentences$) => sentences$,
  speech: (sentences$, { tts, sessionId, turnId, speechId }) =>
    sentences$.pipe(
      synthesizeSentences(tts, { origin: { sessionId, turnId, speechId } }),
      // Named after the TTS here: past this point a foreign error would be blamed on a stage.
      catchError((error: unknown) => throwError(() => toVoxError(error, `tts:${tts.name}`))),
    ),
  audioOut: (audio$) => audio$,
} satisfies ResolvedVoicePipeline;

/** The session's stages: the ones given, the defaults for the rest. */
export function resolvePipeline(pipeline: VoicePipeline | undefined): ResolvedVoicePipeline {
  return { ...defaultStages, ...stripUndefined(pipeline ?? {}) };
}

function stripUndefined(pipeline: VoicePipeline): VoicePipeline {
  return Object.fromEntries(Object.entries(pipeline).filter(([, stage]) => stage !== undefined));
}
