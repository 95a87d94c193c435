import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../src/errors/index';
import { fallbackLlm } from '../src/providers/fallback/fallback-llm';
import { fallbackStt } from '../src/providers/fallback/fallback-stt';
import { fallbackTts } from '../src/providers/fallback/fallback-tts';
import { FakeLlm, type LlmReply } from '../src/testing/fake-llm';
import { FakeStt } from '../src/testing/fake-stt';
import { FakeTts } from '../src/testing/fake-tts';
import { virtualConversation } from '../src/testing/virtual-conversation';

const utterances = [
  { text: 'what is the weather', startMs: 500 },
  { text: 'and tomorrow', startMs: 6000 },
];
const outage = () => new ProviderUnavailableError('503 Service Unavailable', { source: 'llm:cloud' });

/** A conversation whose LLM is `fallbackLlm([cloud, the harness's fake])`, cloud replying by call. */
function withCloudLlm(reply: (call: number) => LlmReply, probe = { initialDelayMs: 1000 }) {
  let cloud: FakeLlm | undefined;
  const c = virtualConversation({
    utterances,
    llm: { reply: 'Backup answer.' },
    wrapLlm: (llm, scheduler) => {
      cloud = new FakeLlm({ name: 'cloud', ttftMs: 300, reply: (_request, call) => reply(call), scheduler });
      return fallbackLlm([cloud, llm], { scheduler, probe });
    },
  });
  return { ...c, cloud: cloud! };
}

describe('a session with fallback chains (virtual time)', () => {
  it('answers a turn from the next LLM when the first fails before its first token, and reports the switch and the recovery', () => {
    const c = withCloudLlm((call) => (call === 0 ? [{ error: outage() }] : 'Cloud answer.'));
    c.at(12_000, () => c.session.close());
    c.run();
    const turns = c.ofType('user-turn');
    expect(c.ofType('error')).toEqual([]);
    expect(c.ofType('speech-end').map((e) => [e.turnId, e.text])).toEqual([
      [turns[0]!.turnId, 'Backup answer.'],
      [turns[1]!.turnId, 'Cloud answer.'],
    ]);
    const [switched] = c.ofType('provider-switched');
    expect(switched).toMatchObject({ kind: 'llm', chain: 'fallback(cloud,fake)', from: 'cloud', to: 'fake' });
    expect(switched?.error.code).toBe('provider_unavailable');
    // The probe one second after the failure (call 1) found the cloud back at its first token.
    expect(c.ofType('provider-recovered')).toMatchObject([{ kind: 'llm', provider: 'cloud', downMs: 1300 }]);
    expect(c.cloud.requests.map((r) => r.messages.at(-1)?.content)).toEqual([
      'what is the weather',
      'ping',
      'and tomorrow',
    ]);
  });

  it('ends the turn with exactly one typed error when the LLM fails after its first token, and starts the next turn on the next LLM', () => {
    const c = withCloudLlm(
      (call) => (call === 0 ? [{ text: 'Once upon a time.' }, { error: outage() }] : 'Cloud answer.'),
      { initialDelayMs: 60_000 },
    );
    c.at(12_000, () => c.session.close());
    c.run();
    const turns = c.ofType('user-turn');
    expect(c.ofType('error').map((e) => [e.turnId, e.error.code, e.error.source])).toEqual([
      [turns[0]!.turnId, 'provider_unavailable', 'llm:cloud'],
    ]);
    expect(c.llm.requests).toHaveLength(1); // only the second turn: the first was not restarted
    expect(c.ofType('speech-end').at(-1)).toMatchObject({ turnId: turns[1]!.turnId, text: 'Backup answer.' });
    expect(c.ofType('provider-switched')).toHaveLength(1);
  });

  it('speaks every sentence with the next TTS when the first cannot, with no error', () => {
    let cloud: FakeTts | undefined;
    const c = virtualConversation({
      utterances: utterances.slice(0, 1),
      wrapTts: (tts, scheduler) => {
        cloud = new FakeTts({
          name: 'cloud',
          scheduler,
          failWith: () => new ProviderUnavailableError('503', { source: 'tts:cloud' }),
        });
        return fallbackTts([cloud, tts], { scheduler, probe: { initialDelayMs: 60_000 } });
      },
    });
    c.at(8000, () => c.session.close());
    c.run();
    expect(c.ofType('error')).toEqual([]);
    expect(c.ofType('speech-end')).toMatchObject([
      { text: 'Sure. It is sunny and warm today.', interrupted: false },
    ]);
    expect(c.ofType('audio').length).toBeGreaterThan(0);
    // The first sentence met the failure; the second started on the provider in service.
    expect(cloud!.texts).toEqual(['Sure.']);
    expect(c.tts.texts).toEqual(['Sure.', 'It is sunny and warm today.']);
    expect(c.ofType('provider-switched')).toMatchObject([{ kind: 'tts', from: 'cloud', to: 'fake' }]);
  });

  it('takes the turn with all its words when the recognizer fails mid-utterance, without losing recognition', () => {
    let cloud: FakeStt | undefined;
    const c = virtualConversation({
      utterances: utterances.slice(0, 1),
      wrapStt: (stt, scheduler) => {
        cloud = new FakeStt({ name: 'cloud', utterances: utterances.slice(0, 1), scheduler });
        return fallbackStt([cloud, stt], { scheduler, probe: { initialDelayMs: 60_000 } });
      },
    });
    c.at(1200, () => cloud!.fail(new ProviderUnavailableError('stream reset', { source: 'stt:cloud' })));
    c.at(8000, () => c.session.close());
    c.run();
    expect(c.ofType('user-turn').map((t) => t.text)).toEqual(['what is the weather']);
    expect(c.ofType('recognition-lost')).toEqual([]);
    expect(c.ofType('error')).toEqual([]);
    expect(c.ofType('provider-switched')).toMatchObject([{ kind: 'stt', from: 'cloud', to: 'fake' }]);
  });

  it('closing a session with a fallback chain mid-probe cancels the probe and leaves no timer or request open', () => {
    const c = withCloudLlm((call) =>
      call === 0 ? [{ error: outage() }] : [{ stallMs: 5000 }, { text: 'Slowly back.' }],
    );
    let probesOpenBeforeClose = 0;
    c.at(3600, () => {
      probesOpenBeforeClose = c.cloud.streams.open;
      c.session.close();
    });
    c.run(); // ends: nothing schedules anything after the close
    expect(probesOpenBeforeClose).toBe(1);
    expect(c.cloud.streams.open).toBe(0);
    expect(c.cloud.streams.cancelled).toBe(1);
    expect(c.cloud.requests).toHaveLength(2); // the failed turn and the probe: no probe after the close
    expect(c.scheduler.actions).toHaveLength(0);
    expect(c.llm.streams.open + c.stt.streams.open + c.tts.streams.open).toBe(0);
  });
});
