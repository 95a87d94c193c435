import { FAULT_KINDS, type FaultKind, faultWord } from '../faults';
import { SimulatedUser } from '../simulated-user';
import type { SeededRandom } from './random';

/** What the simulated users of a soak did and saw. */
export interface SoakUserCounters {
  turns: number;
  /** Turns that ended with a typed error (faults, outages). */
  turnErrors: number;
  /** Turns with no end within the wait (hangs are expected to; anything else is suspicious). */
  turnsUnfinished: number;
  /**
   * Utterances heard but never made a turn within the wait: taken for a backchannel over the
   * agent's speech (the simulated utterances are short), or merged into a turn still pending.
   */
  utterancesWithoutTurn: number;
  /** Turns that reported more than one typed error (should stay 0). */
  turnsWithSeveralErrors: number;
  /** Faults the clients caused: broken recognition streams and dropped connections. */
  clientFaults: number;
  /** Sessions that could not be joined, or utterances never heard (should stay 0). */
  failures: number;
  /** The first few failure messages, for the report. */
  readonly failureNotes: string[];
}

export function emptyCounters(): SoakUserCounters {
  return {
    turns: 0,
    turnErrors: 0,
    turnsUnfinished: 0,
    utterancesWithoutTurn: 0,
    turnsWithSeveralErrors: 0,
    clientFaults: 0,
    failures: 0,
    failureNotes: [],
  };
}

export interface SoakUserOptions {
  readonly url: string;
  readonly random: SeededRandom;
  readonly counters: SoakUserCounters;
  /** Epoch ms after which the user wraps up. */
  readonly deadline: number;
  /** How long one session lives, ms. */
  readonly lifeMs: readonly [number, number];
  /** Probability that a turn carries a provider fault word. */
  readonly faultRate: number;
  /** The server serves through fallback chains: a hanging provider is fallen back from, not waited out. */
  readonly chains: boolean;
  /** A server-side way to end a session (the app closing it). */
  readonly endSession: (sessionId: string) => void;
  /** Cuts a client's connection at the server, as a network failure would. */
  readonly drop: (tag: string) => void;
  readonly serial: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One user's session from join to leave, with random turns, faults, interruptions, playback
 * reports, dropped connections (resumed) and recognition failures; it ends by leaving, by being
 * dropped for good, or by the app ending the session. Never throws: problems are counted.
 */
export async function liveOneSession(options: SoakUserOptions): Promise<void> {
  const { random, counters } = options;
  const id = options.serial();
  const isResuming = random.chance(0.85);
  const user = new SimulatedUser(options.url, { user: `soak${id}`, autoResume: isResuming });
  try {
    await user.ready(1, 15_000);
    const endOfLife = Math.min(options.deadline, Date.now() + random.between(...options.lifeMs));
    while (Date.now() < endOfLife && user.client.status !== 'closed') await act(user, options);
    const ending = random.next();
    if (ending < 0.12 && user.sessionId) options.endSession(user.sessionId);
    else if (ending < 0.3 && !isResuming && user.client.status === 'ready') {
      // Dropped for good: the session waits out its resume window, then ends by itself.
      counters.clientFaults++;
      options.drop(user.tag);
    }
  } catch (error) {
    counters.failures++;
    if (counters.failureNotes.length < 10)
      counters.failureNotes.push(String((error as Error).message ?? error));
  } finally {
    user.close();
  }
}

async function act(user: SimulatedUser, options: SoakUserOptions): Promise<void> {
  const { random, counters } = options;
  const roll = random.next();
  if (roll < 0.5) return turn(user, options);
  if (roll < 0.6) user.client.interrupt();
  else if (roll < 0.72)
    user.reportPlayback(random.pick(['ack', 'started', 'finished'] as const), random.between(0, 3000));
  else if (roll < 0.77) {
    counters.clientFaults++;
    user.breakRecognition(random.chance(0.5) ? 'fail-stream' : 'end-stream');
  } else if (roll < 0.8) user.client.sendText(`typed t${options.serial()} question`);
  else if (roll < 0.83 && user.client.status === 'ready') {
    // A resuming client comes back to the same session; another one's life ends here.
    counters.clientFaults++;
    options.drop(user.tag);
  }
  await sleep(random.between(100, 1200));
}

async function turn(user: SimulatedUser, options: SoakUserOptions): Promise<void> {
  const { random, counters } = options;
  const word = `w${options.serial()}`;
  let fault: FaultKind | undefined;
  let words = 'hello';
  if (random.chance(options.faultRate)) {
    fault = random.pick(FAULT_KINDS);
    words = faultWord(random.chance(0.5) ? 'llm' : 'tts', fault);
  }
  counters.turns++;
  await user.speak(`${word} ${words} please answer`, { heardWithinMs: 15_000 });
  // Sometimes the user moves on without waiting for the answer, or cuts it off at once.
  if (random.chance(0.15)) return;
  if (random.chance(0.05)) {
    counters.clientFaults++;
    user.client.interrupt();
    return;
  }
  try {
    const outcome = await user.outcome(word, fault === 'hang' && !options.chains ? 1500 : 15_000);
    if (outcome.how === 'error') {
      counters.turnErrors++;
      // Its speech end follows the error; a second error for the turn would come before it.
      await user
        .waitFor(() => user.speechEnds.some((e) => e.turnId === outcome.turnId), 'the speech end', 3000)
        .catch(() => undefined);
      if (user.errors.filter((e) => e.turnId === outcome.turnId).length > 1)
        counters.turnsWithSeveralErrors++;
    }
  } catch {
    if (user.userTurns.some((t) => t.text.split(' ').includes(word))) counters.turnsUnfinished++;
    else counters.utterancesWithoutTurn++;
  }
}
