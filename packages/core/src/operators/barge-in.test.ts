import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type BargeInOptions, type BargeInSignal, bargeIn } from './barge-in';

const options: BargeInOptions = {
  trigger: 'audio-activity',
  minSpeechMs: { thinking: 0, speaking: 0 },
  minWords: { thinking: 1, speaking: 1 },
  falseInterruptionMs: 10,
  backchannels: ['yeah', 'mm-hmm', 'i see'],
};

const signals: Record<string, BargeInSignal> = {
  s: { type: 'agent', state: 'speaking', speechId: 's1', isInterruptible: true },
  k: { type: 'agent', state: 'thinking', speechId: 's1', isInterruptible: true },
  n: { type: 'agent', state: 'speaking', speechId: 's2', isInterruptible: true },
  l: { type: 'agent', state: 'listening', isInterruptible: true },
  x: { type: 'agent', state: 'speaking', speechId: 's1', isInterruptible: false },
  o: { type: 'onset' },
  e: { type: 'speech-end' },
  // With audio times: the voice starts at 0 of the audio timeline, pauses at 2, and ends there.
  O: { type: 'onset', atMs: 0 },
  A: { type: 'speech-pause', atMs: 2 },
  E: { type: 'speech-end', atMs: 2 },
  L: { type: 'speech-pause', atMs: 6 },
  t: { type: 'transcript', text: 'wait stop', isFinal: false },
  f: { type: 'transcript', text: 'wait stop please', isFinal: true },
  b: { type: 'transcript', text: 'yeah', isFinal: false },
  B: { type: 'transcript', text: 'Mm-hmm, yeah.', isFinal: true },
  w: { type: 'transcript', text: 'no', isFinal: false },
  u: { type: 'transcript', text: 'um', isFinal: false },
  T: { type: 'transcript', text: 'um stop', isFinal: false },
  M: { type: 'transcript', text: 'mm-hmm', isFinal: true },
  F: { type: 'transcript', text: 'but', isFinal: true },
  S: { type: 'transcript', text: 'stop', isFinal: false },
  Q: { type: 'transcript', text: 'op', isFinal: true },
  W: { type: 'transcript', text: "where'd", isFinal: true, alternatives: ['wait'] },
  Y: { type: 'transcript', text: 'but ah', isFinal: true, alternatives: ['mm-hmm'] },
  Z: { type: 'transcript', text: 'but what about it', isFinal: true, alternatives: ['mm-hmm'] },
  N: { type: 'transcript', text: 'never mind', isFinal: true, alternatives: ['nice'] },
};

const decisions = {
  p: { type: 'pause', speechId: 's1', source: 'audio_activity' },
  P: { type: 'pause', speechId: 's1', source: 'user_turn' },
  c: { type: 'commit', speechId: 's1', source: 'audio_activity' },
  C: { type: 'commit', speechId: 's1', source: 'user_turn' },
  r: { type: 'resume', speechId: 's1' },
};

function run(input: string, expected: string, overrides: Partial<BargeInOptions> = {}) {
  new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted)).run(({ hot, expectObservable }) => {
    expectObservable(hot(input, signals).pipe(bargeIn({ ...options, ...overrides }))).toBe(
      expected,
      decisions,
    );
  });
}

describe('bargeIn', () => {
  it('pauses on speech onset over a speaking agent and commits on the first words', () => {
    run('s-o--t---|', '--p--c---|');
  });

  it('resumes a pause that no words confirm within falseInterruptionMs', () => {
    run('s-o-e--------------|', '--p---------r------|');
  });

  it('ignores an onset shorter than minSpeechMs', () => {
    run('s-o-e--------|', '-------------|', { minSpeechMs: { thinking: 0, speaking: 5 } });
  });

  it('pauses only once the onset has lasted minSpeechMs', () => {
    run('s-o------t-|', '-------p-c-|', { minSpeechMs: { thinking: 0, speaking: 5 } });
  });

  it('never lets a backchannel commit, and resumes at once on a final backchannel', () => {
    run('s-o-b--B----------|', '--p----r----------|');
  });

  it('does nothing while the agent is listening', () => {
    run('l-o--t---|', '---------|');
  });

  it('does nothing for speech that may not be interrupted', () => {
    run('x-o--f---|', '---------|');
  });

  it('in transcript mode pauses on an interim and commits on the final', () => {
    run('s-o-t--f--|', '----P--C--|', { trigger: 'transcript' });
  });

  it('commits at once on a stable interim in transcript mode', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ hot, expectObservable }) => {
      const stable: BargeInSignal = { type: 'transcript', text: 'stop now', isFinal: false, stability: 0.9 };
      expectObservable(
        hot('s-t-----|', { ...signals, t: stable }).pipe(bargeIn({ ...options, trigger: 'transcript' })),
      ).toBe('--(PC)--|', decisions);
    });
  });

  it('applies minWords per agent state', () => {
    const perState = { minWords: { thinking: 1, speaking: 2 } };
    run('s-o-w--------------|', '--p---------r------|', perState);
    run('k-o-w---|', '--p-c---|', perState);
  });

  describe('with a backchannel window (a rough recognizer may hear "mhm" as "um")', () => {
    const window = { backchannelWindowMs: { thinking: 5, speaking: 5 } };

    it('does not commit on words inside the window, even two (a rough guess at "mhm"), but on words after it', () => {
      run('s-o-u---t-|', '--p-----c-|', window);
      run('s-o-u-T-----|', '--p---------|', window);
      run('s-o-u-T-t---|', '--p-----c---|', window);
    });

    it('commits at once on words heard after the window', () => {
      run('s-o-e-----T-|', '--p-------c-|', window);
    });

    it('after one word and silence, lets the final decide: a backchannel resumes', () => {
      run('s-o-u-e-M-------|', '--p-----r-------|', window);
    });

    it('takes a short utterance, over, whose final is no backchannel for one heard roughly: it resumes', () => {
      run('s-o-u-e-F---|', '--p-----r---|', window);
    });

    it('commits a short stop phrase, and any final of an utterance that outlasted the window', () => {
      run('s-o-u-e-f---|', '--p-----c---|', { ...window, stopPhrases: ['stop', 'wait'] });
      run('s-o-u-----e-F-|', '--p---------c-|', window);
    });

    it('takes a short final no longer than a stop its interim heard for that stop: it commits', () => {
      const stops = { ...window, stopPhrases: ['stop', 'wait'] };
      // PocketSphinx's interim "stop", its rescored final "op".
      run('s-o-S-e-Q---|', '--p-----c---|', stops);
      // Without the interim, "op" is a rough backchannel: it resumes.
      run('s-o-u-e-Q---|', '--p-----r---|', stops);
      // The interim of an earlier utterance does not count.
      run('s-o-S-e-o-e-Q---|', '--p---------r---|', stops);
      // A stop among the final's alternatives (a reading of the same speech) counts.
      run('s-o-u-e-W---|', '--p-----c---|', stops);
    });

    it('resumes at a final of up to two words whose alternatives hold a backchannel, however long the voice', () => {
      const patient = { ...window, falseInterruptionMs: 20 };
      // "uh-huh" heard as "but ah", its voice outlasting the window.
      run('s-o-u------e-Y---|', '--p----------r---|', patient);
      // Without the reading, a final after such a voice commits.
      run('s-o-u------e-F---|', '--p----------c---|', patient);
      // More than two words are a request, whatever the reading.
      run('s-o-u------e-Z---|', '--p----------c---|', patient);
      // A final that is itself a stop phrase is a stop, whatever its reading.
      const stops = { ...patient, stopPhrases: ['never mind'], backchannels: ['nice'] };
      run('s-o-u------e-N---|', '--p----------c---|', stops);
    });

    it('lets the voice decide a final heard while it goes on: ending short resumes, outlasting the window commits', () => {
      run('s-o-F-e---|', '--p---r---|', window);
      run('s-o-F-------|', '--p----c----|', window);
      run('s-o-f---|', '--p-c---|', { ...window, stopPhrases: ['stop', 'wait'] });
    });

    it('judges late words by the voice, not the clock: after a short pause they wait for its end', () => {
      const patient = { ...window, falseInterruptionMs: 20 };
      // A busy recognizer's final after the window, of a voice that paused at 2: it resumes.
      run('s-O-A-----F---E-|', '--p-----------r-|', patient);
      // The words heard before the pause, again after the window (late): still no commit.
      run('s-O-t-A-----t---|', '--p-------------|', patient);
      // The user goes on after the pause's final: a commit.
      run('s-O-A-----F-u---|', '--p---------c---|', patient);
      // More words than before the pause (a recognizer that finals only at the end): it goes on.
      run('s-O-u-A---t-----|', '--p-------c-----|', patient);
      // A pause after the window: the words commit as before.
      run('s-O-----L-t-----|', '--p-------c-----|', window);
    });

    it('without a window commits on the first word', () => {
      run('s-o-u---|', '--p-c---|');
    });
  });

  it('resumes a paused speech at once when interruptions are switched off', () => {
    run('s-o-x---|', '--p-r---|');
  });

  it('forgets a pending pause when a new speech starts', () => {
    run('s-o-n--------------|', '--p----------------|');
  });

  it('stops its timers when unsubscribed', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot('s-o-----', signals).pipe(bargeIn(options)), '^--!').toBe('--p', decisions);
    });
    expect(scheduler.actions).toHaveLength(0);
  });
});
