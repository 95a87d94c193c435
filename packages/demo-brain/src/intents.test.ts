import { describe, expect, it } from 'vitest';
import { type DemoIntent, detectIntent } from './intents';

function intentsOf(utterances: readonly string[]): Record<string, DemoIntent> {
  return Object.fromEntries(utterances.map((u) => [u, detectIntent(u).intent]));
}

function expectAll(utterances: readonly string[], intent: DemoIntent) {
  expect(intentsOf(utterances)).toEqual(Object.fromEntries(utterances.map((u) => [u, intent])));
}

describe('detectIntent', () => {
  it('knows stop: a bare stop is not a question to answer', () => {
    expectAll(['stop', 'stop please stop', 'never mind stop talking', 'hold on', 'okay wait'], 'stop');
    expect(detectIntent('stop and tell me a story').intent).toBe('story');
  });

  it('hears greetings, including recognizer slips', () => {
    expectAll(
      ['hello there', 'Hi!', 'hey', 'good morning', 'how are you', 'whoa there', 'hallo', 'yellow there'],
      'greeting',
    );
  });

  it('hears questions about the time, including recognizer slips', () => {
    expectAll(
      [
        'what time is it',
        "What's the time?",
        "what's a time",
        'what should die in',
        'tell me the time police',
        'do you know the hour',
        'what tie miss it',
      ],
      'time',
    );
  });

  it('hears weather questions, including recognizer slips', () => {
    expectAll(
      [
        'what is the weather like in',
        "how's the weather today",
        'will it to rain tomorrow',
        'what is the wether like',
        'what is the whether like',
        'do i need an umbrella',
        "what's the forcast",
      ],
      'weather',
    );
  });

  it('hears requests for a story, including recognizer slips', () => {
    expectAll(
      [
        'tell me a story',
        'can you tell me a bedtime story',
        'tell me a storey',
        'tell me a starry',
        'once upon a time',
      ],
      'story',
    );
  });

  it('falls back when nothing matches, or on an empty transcript', () => {
    expectAll(['play some music', 'what can you do huh', '', 'asdf qwerty'], 'fallback');
  });

  it('lets the clearer cue win when several intents are named', () => {
    expect(detectIntent('hello, what time is it').intent).toBe('time');
    expect(detectIntent('tell me a story about the weather').intent).toBe('story');
    expect(detectIntent('good morning, will it rain').intent).toBe('weather');
  });
});
