import {
  type ChatMessage,
  ConfigError,
  type LlmEvent,
  type LlmRequest,
  ProviderRequestError,
} from '@voxduplex/core';
import { lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { DemoBrain } from './demo-brain';

const ask = (...userTexts: string[]): LlmRequest => ({
  messages: [
    { role: 'system', content: 'You are a helpful voice assistant.' },
    ...userTexts.flatMap((content, i): ChatMessage[] =>
      i < userTexts.length - 1
        ? [
            { role: 'user', content },
            { role: 'assistant', content: 'Okay.' },
          ]
        : [{ role: 'user', content }],
    ),
  ],
});

const instant = (options = {}) =>
  new DemoBrain({ timeToFirstTokenMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY, ...options });

async function reply(brain: DemoBrain, request: LlmRequest): Promise<{ text: string; events: LlmEvent[] }> {
  const events = await lastValueFrom(brain.generate(request).pipe(toArray()));
  const text = events.map((e) => (e.type === 'token' ? e.text : '')).join('');
  return { text, events };
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('DemoBrain answers', () => {
  it('greets back and says what it can do', async () => {
    const { text } = await reply(instant(), ask('hello there'));
    expect(text).toMatch(/^Hello!/);
    expect(text).toMatch(/time.*weather.*story/);
  });

  it('tells the time from its clock, in words', async () => {
    const brain = instant({ now: () => new Date('2025-03-01T15:07:00Z'), timeZone: 'UTC' });
    expect((await reply(brain, ask('what should die in'))).text).toContain(
      "It's three oh seven in the afternoon.",
    );
  });

  it('reads the clock at each request, not once', async () => {
    let now = new Date('2025-03-01T08:00:00Z');
    const brain = instant({ now: () => now, timeZone: 'UTC' });
    expect((await reply(brain, ask('what time is it'))).text).toContain('eight');
    now = new Date('2025-03-01T10:00:00Z');
    expect((await reply(brain, ask('what time is it'))).text).toContain('ten');
  });

  it('says plainly it has no live weather data before a demo forecast', async () => {
    const { text } = await reply(instant(), ask("how's the weather today"));
    expect(text).toMatch(/^I don't have live weather data/);
    expect(text).toMatch(/pretend forecast/);
  });

  it('tells a story long enough to interrupt: over 40 s even at a fast 220 words per minute', async () => {
    const { text } = await reply(instant(), ask('tell me a story'));
    expect(wordCount(text) / 220).toBeGreaterThan(40 / 60);
    expect(text).toMatch(/^Once upon a time/);
  });

  it('falls back politely, listing what it can do', async () => {
    const { text } = await reply(instant(), ask('play some music'));
    expect(text).toMatch(/^Sorry/);
    expect(text).toMatch(/hello.*time.*weather.*story/);
  });

  it('answers only the last user message', async () => {
    expect((await reply(instant(), ask('tell me a story', 'hello'))).text).toMatch(/^Hello!/);
  });

  it('falls back when there is no user message at all', async () => {
    expect((await reply(instant(), { messages: [] })).text).toMatch(/^Sorry/);
  });

  it('ignores tool definitions and never calls a tool', async () => {
    const tools = [{ name: 'get_weather', description: 'Live weather', parameters: { type: 'object' } }];
    const { events } = await reply(instant(), { ...ask('what is the weather'), tools });
    expect(events.some((e) => e.type === 'tool-call')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('streams words whose concatenation is the whole answer, then done', async () => {
    const brain = instant();
    const { text, events } = await reply(brain, ask('hello'));
    expect(text).toBe(brain.answer(ask('hello')).text);
    expect(events.filter((e) => e.type === 'token').length).toBe(wordCount(text));
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  });

  it('answers a malformed request with a typed error instead of crashing', async () => {
    await expect(reply(instant(), {} as LlmRequest)).rejects.toBeInstanceOf(ProviderRequestError);
    await expect(reply(instant(), null as unknown as LlmRequest)).rejects.toBeInstanceOf(
      ProviderRequestError,
    );
  });

  it('rejects bad pacing options and unknown time zones with a ConfigError', () => {
    expect(() => new DemoBrain({ tokensPerSecond: 0 })).toThrow(ConfigError);
    expect(() => new DemoBrain({ timeToFirstTokenMs: -1 })).toThrow(ConfigError);
    expect(() => new DemoBrain({ timeZone: 'Nowhere/Land' })).toThrow(ConfigError);
  });
});

describe('DemoBrain pacing (virtual time)', () => {
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('sends the first token after the time to first token, then one every 1000/rate ms', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ expectObservable }) => {
      const brain = new DemoBrain({ timeToFirstTokenMs: 300, tokensPerSecond: 10, scheduler: testScheduler });
      const [first, second, third, fourth] = brain.answer(ask('hello')).text.match(/\s*\S+/g)!;
      const tokens$ = brain.generate(ask('hello'));
      expectObservable(tokens$, '^ 650ms !').toBe('300ms a 99ms b 99ms c 99ms d', {
        a: { type: 'token', text: first },
        b: { type: 'token', text: second },
        c: { type: 'token', text: third },
        d: { type: 'token', text: fourth },
      });
    });
  });

  it('with an infinite rate, sends every token at the time to first token', () => {
    const testScheduler = scheduler();
    testScheduler.run(() => {
      const brain = new DemoBrain({
        timeToFirstTokenMs: 200,
        tokensPerSecond: Number.POSITIVE_INFINITY,
        scheduler: testScheduler,
      });
      const times: number[] = [];
      brain.generate(ask('hello')).subscribe(() => times.push(testScheduler.now()));
      testScheduler.flush();
      expect(times.length).toBeGreaterThan(10);
      expect(new Set(times)).toEqual(new Set([200]));
    });
  });

  it('stops at once when unsubscribed: no more tokens and no timer left', () => {
    const testScheduler = scheduler();
    testScheduler.run(() => {
      const brain = new DemoBrain({ timeToFirstTokenMs: 100, tokensPerSecond: 20, scheduler: testScheduler });
      const received: LlmEvent[] = [];
      const subscription = brain.generate(ask('tell me a story')).subscribe((event) => received.push(event));
      testScheduler.schedule(() => subscription.unsubscribe(), 275);
      testScheduler.flush();
      // Tokens at 100, 150, 200, 250; cut at 275.
      expect(received.map((e) => e.type)).toEqual(['token', 'token', 'token', 'token']);
      expect(testScheduler.actions).toHaveLength(0);
    });
  });

  it('the story lasts long at the default pace: done only after all its tokens', () => {
    const testScheduler = scheduler();
    testScheduler.run(() => {
      const brain = new DemoBrain({ scheduler: testScheduler });
      let doneAt = -1;
      brain.generate(ask('tell me a story')).subscribe((event) => {
        if (event.type === 'done') doneAt = testScheduler.now();
      });
      testScheduler.flush();
      const tokenCount = brain.answer(ask('tell me a story')).text.match(/\s*\S+/g)!.length;
      expect(doneAt).toBe(150 + (tokenCount - 1) * 25);
    });
  });
});
