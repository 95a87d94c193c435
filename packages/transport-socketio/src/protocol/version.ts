/** The wire protocol version this package speaks. Sent in the handshake and in `ready`. */
export const PROTOCOL_VERSION = 1 as const;

/**
 * Additive revision within {@link PROTOCOL_VERSION} (see PROTOCOL.md, _Versioning_). Revision 2
 * added the `audio-end` server event; revision 3 compact audio messages (`ready.compactAudio`);
 * revision 4 sessions restored on another node (`ready.restored`, `connect_error.data.detail`).
 * Informational: a peer never needs to match it.
 */
export const PROTOCOL_REVISION = 4 as const;

/** Event names a client sends. Anything else is answered with an `unknown_event` error. */
export const CLIENT_EVENTS = [
  'start',
  'stop',
  'audio',
  'text',
  'interrupt',
  'playback-ack',
  'playback-started',
  'playback-finished',
] as const;

/** Event names the server sends. */
export const SERVER_EVENTS = [
  'ready',
  'state',
  'transcript',
  'user-turn',
  'speech-start',
  'agent-text',
  'agent-audio',
  'audio-end',
  'control',
  'speech-end',
  'metrics',
  'error',
  'closed',
] as const;

export type ClientEventName = (typeof CLIENT_EVENTS)[number];
export type ServerEventName = (typeof SERVER_EVENTS)[number];

/** Whether `name` is an event a client may send. */
export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === 'string' && (CLIENT_EVENTS as readonly string[]).includes(name);
}
