import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../src/errors/index';
import { virtualConversation } from '../src/testing/virtual-conversation';

describe('the end-of-speech-audio marker (speech-generated)', () => {
  it('follows the last audio chunk with the speech total, and the listener finishing ends the turn then', () => {
    // A playout estimate that would hold the turn open for a minute: only the listener's report ends it.
    const c = virtualConversation({ micMs: 0, config: { playout: { slackMs: 60_000 } } });
    let speechId = '';
    c.at(0, () => {
      speechId = c.session.say('One two three four.');
    });
    // The listener says it played the last sample 2 s after the marker.
    c.session.on('speech-generated', (event) =>
      c.at(c.scheduler.now() + 2000, () => c.session.playbackFinished(event.speechId)),
    );
    c.run();

    const audio = c.ofType('audio');
    const [marker] = c.ofType('speech-generated');
    expect(marker).toMatchObject({ speechId, audioMs: audio.reduce((ms, e) => ms + e.audio.durationMs, 0) });
    expect(marker!.turnId).toBe(audio[0]!.audio.turnId);
    // Nothing of the speech after its marker.
    const markerIndex = c.events.findIndex((e) => e.type === 'speech-generated');
    expect(c.events.slice(markerIndex).some((e) => e.type === 'audio')).toBe(false);
    expect(markerIndex).toBeGreaterThan(c.events.indexOf(audio.at(-1)!));

    const [end] = c.ofType('speech-end');
    expect(end).toMatchObject({ speechId, interrupted: false, heardText: 'One two three four.' });
    expect(end!.at).toBe(marker!.at + 2000);
    expect(c.session.state.agent).toBe('listening');
  });

  it('is not sent for a speech interrupted while it was still being generated', () => {
    const c = virtualConversation({ micMs: 0, tts: { realtimeFactor: 1 } });
    let speechId = '';
    c.at(0, () => {
      speechId = c.session.say('One two three four. Five six seven eight.');
    });
    c.at(600, () => c.session.interrupt());
    c.run();
    expect(c.ofType('audio').length).toBeGreaterThan(0);
    expect(c.ofType('speech-end')[0]).toMatchObject({ speechId, interrupted: true });
    expect(c.ofType('speech-generated')).toEqual([]);
  });

  it('is sent when TTS fails after some audio, so the audio already sent can be reported played out', () => {
    const c = virtualConversation({
      micMs: 0,
      config: { playout: { slackMs: 60_000 } },
      tts: {
        failWith: (text) => (text.startsWith('Five') ? new ProviderUnavailableError('tts down') : undefined),
      },
    });
    c.session.on('speech-generated', (event) =>
      c.at(c.scheduler.now() + 100, () => c.session.playbackFinished(event.speechId)),
    );
    c.at(0, () => c.session.say('One two three four. Five six seven eight.'));
    c.run();
    const [marker] = c.ofType('speech-generated');
    expect(c.ofType('error')).toHaveLength(1);
    expect(marker!.audioMs).toBe(c.ofType('audio').reduce((ms, e) => ms + e.audio.durationMs, 0));
    expect(c.ofType('speech-end')[0]!.at).toBe(marker!.at + 100);
  });
});
