import type { SessionEvent } from '@voxduplex/core';
import type { CallJournalEntry } from './call-journal';

/**
 * The journal entry of a session event that needs nothing the recorder holds — a final
 * transcript, a user turn, a tool call or result, turn metrics, an error, a fallback chain
 * switching — at recording time `atMs`. `userOffsetMs` places the recognizer's times (session
 * audio time) on the recording. Undefined for every other event: the speech events go through
 * the recorder's playout of each speech.
 */
export function eventEntry(
  event: SessionEvent,
  atMs: number,
  userOffsetMs: number | undefined,
): CallJournalEntry | undefined {
  switch (event.type) {
    case 'transcript': {
      const { text, isFinal, startMs, endMs } = event.transcript;
      if (!isFinal) return undefined;
      const offset = userOffsetMs;
      return {
        type: 'utterance',
        atMs,
        text,
        ...(startMs === undefined || offset === undefined ? {} : { startMs: startMs + offset }),
        ...(endMs === undefined || offset === undefined ? {} : { endMs: endMs + offset }),
      };
    }
    case 'user-turn':
      return { type: 'user-turn', atMs, turnId: event.turnId, text: event.text };
    case 'tool-call':
      return { type: 'tool-call', atMs, turnId: event.turnId, ...event.call };
    case 'tool-result': {
      const { turnId, toolCallId, result, isError } = event;
      return { type: 'tool-result', atMs, turnId, toolCallId, result, isError };
    }
    case 'metrics':
      return { type: 'metrics', atMs, metrics: event.metrics };
    case 'error':
      return {
        type: 'error',
        atMs,
        code: event.error.code,
        message: event.error.message,
        ...(event.turnId === undefined ? {} : { turnId: event.turnId }),
      };
    case 'provider-switched': {
      const { kind, chain, from, to, error } = event;
      return {
        type: 'provider',
        change: { type: 'switched', atMs, kind, chain, from, to, code: error.code },
      };
    }
    case 'provider-recovered': {
      const { kind, chain, provider, downMs } = event;
      return { type: 'provider', change: { type: 'recovered', atMs, kind, chain, provider, downMs } };
    }
    default:
      return undefined;
  }
}
