/** Why an agent speech was interrupted. */
export type InterruptSource = 'audio_activity' | 'user_turn' | 'programmatic';

/**
 * Playback controls for the listener's player. They travel on their own lane (`controls$`),
 * never queued behind audio, so a pause reaches the player before any audio still in flight.
 *
 * - `pause`: the user may be barging in; hold playback where it is.
 * - `resume`: it was a false alarm (no words followed); continue.
 * - `interrupt`: the speech is over; drop everything of this `speechId`, including late chunks.
 */
export type PlaybackControl =
  | { readonly type: 'pause'; readonly speechId: string; readonly source: InterruptSource }
  | { readonly type: 'resume'; readonly speechId: string }
  | { readonly type: 'interrupt'; readonly speechId: string; readonly source: InterruptSource };
