import { WebAudioError } from '../errors';

/** Options of {@link unlockAudioContext}. */
export interface UnlockOptions {
  /** Where a user gesture is awaited. Default `document`. */
  readonly gestureTarget?: EventTarget;
  /** Told once when the browser blocked playback and a gesture is needed (`playback_blocked`). */
  readonly onBlocked?: (error: WebAudioError) => void;
}

const GESTURES = ['pointerdown', 'keydown', 'touchend', 'click'] as const;

/**
 * Resolves when `context` is running. Browsers with an autoplay policy keep a context created
 * without a user gesture `suspended`; then this reports `playback_blocked` through `onBlocked`
 * and resumes the context on the next click, key or touch on `gestureTarget`.
 *
 * @example
 * await unlockAudioContext(context, { onBlocked: () => showTapToStart() });
 */
export async function unlockAudioContext(context: AudioContext, options: UnlockOptions = {}): Promise<void> {
  if (context.state === 'running') return;
  if (context.state === 'closed') throw new WebAudioError('playback_blocked', 'The AudioContext is closed');
  // resume() never settles while autoplay is blocked in some browsers: do not wait on it alone.
  const resumed = context.resume().catch(() => undefined);
  await Promise.race([resumed, new Promise((r) => setTimeout(r, 50))]);
  if ((context.state as AudioContextState) === 'running') return;
  options.onBlocked?.(
    new WebAudioError(
      'playback_blocked',
      'Audio playback needs a user gesture (autoplay policy); waiting for one',
    ),
  );
  const target = options.gestureTarget ?? globalThis.document;
  await new Promise<void>((resolve) => {
    let isDone = false;
    const finish = () => {
      if (isDone) return;
      isDone = true;
      for (const type of GESTURES) target.removeEventListener(type, onGesture);
      context.removeEventListener('statechange', onState);
      resolve();
    };
    const onGesture = () => {
      void context.resume().then(() => {
        if (context.state === 'running') finish();
      });
    };
    // Resumed some other way (the app called resume() itself): stop waiting.
    const onState = () => {
      if (context.state === 'running') finish();
    };
    for (const type of GESTURES) target.addEventListener(type, onGesture);
    context.addEventListener('statechange', onState);
  });
}
