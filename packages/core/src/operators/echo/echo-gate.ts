import { EchoCalibration } from './echo-calibration';
import { EchoDelayEstimator } from './echo-delay';

/** Settings of {@link EchoGate}; every field has a default. */
export interface EchoGateOptions {
  /**
   * The longest delay between the listener playing the agent's audio and it reaching the
   * microphone, including the uplink: the echo's delay is searched for up to this, and until it
   * is found, mic activity is compared with the loudest agent audio played within this window.
   * Default 300 ms (speaker-to-mic paths are 20–200 ms).
   */
  readonly maxDelayMs?: number;
  /**
   * How much louder than the expected echo the mic must be to count as the user talking.
   * Default 6 dB: a leak a little above the learned echo level does not pass.
   */
  readonly marginDb?: number;
  /**
   * The echo level assumed before any is measured: mic energy over agent energy. Default 0 dB
   * (the echo as loud as the agent's own audio) — safe against false interruptions. After the
   * first `calibrationMs` of agent audio the gate lowers it to what the mic heard (see
   * {@link EchoCalibration}), then keeps learning.
   */
  readonly initialEchoGainDb?: number;
  /**
   * How long, from the first audible agent audio, the first measure of the echo level spans
   * (more than `maxDelayMs`). Until it is over, a user softer than `initialEchoGainDb` plus the
   * margin is held back as echo. Default 800 ms.
   */
  readonly calibrationMs?: number;
  /** How fast the learned echo level may fall, in dB per second of agent speech. Default 10. */
  readonly adaptDbPerSecond?: number;
  /**
   * A block may raise the learned echo level by at most this much. Default 2 dB: the echo's
   * loudest blocks keep it up, while a soft user the margin did not catch cannot lift it by a
   * whole margin at once and so raise the bar against themselves.
   */
  readonly riseStepDb?: number;
  /** After the user was heard, frames keep passing this long (between words, soft syllables). Default 400 ms. */
  readonly hangoverMs?: number;
  /** Agent audio quieter than this (dBFS) is silence: no echo to expect. Default −50. */
  readonly agentFloorDb?: number;
}

/** What the gate decided about one block of mic audio. */
export type EchoVerdict =
  /** The agent is not audible: the mic passes untouched. */
  | 'clear'
  /** The mic holds no more than the agent's own voice coming back. */
  | 'echo'
  /** The mic is louder than the echo explains: the user (or something else) is talking. */
  | 'user';

const dbToPower = (db: number) => 10 ** (db / 10);
/** With the delay known, the agent blocks this close to it (either side) may hold the echo's source. */
const DELAY_TOLERANCE_BLOCKS = 3;
/**
 * However well the delay is known, the echo is never assumed quieter than this, relative to the
 * loudest agent block of the window: the room rings on, and the delay may drift.
 */
const ECHO_FLOOR_DB = -20;
/**
 * The echo level is learned only after this long without the user heard: a user talking on over
 * the agent has soft syllables the margin does not catch, which must neither lift the bar nor
 * pass for a quieter echo (a level sinking under the real echo lets it through).
 */
const LEARN_AFTER_USER_MS = 1000;
/**
 * A block teaches the echo level only once this long has followed it without the user heard:
 * the soft start of a word (a "w" gliding in) is judged echo until it grows past the margin, and
 * were it learned at once, the level would climb along with it a step a block and never let it
 * pass.
 */
const LEARN_DELAY_MS = 200;
/** A mic block quieter than this (dBFS) is nobody talking, however quiet the agent. */
const MIC_FLOOR_DB = -60;
/**
 * The first measure of the echo is an energy average: the echo's loudest sounds (vowels a
 * band-limited path passes whole) stand above it by a few dB, which this headroom covers.
 */
const CALIBRATION_HEADROOM_DB = 3;
/** The level never sinks below this, so that an echo that appears later can still lift it. */
const MIN_ECHO_GAIN_DB = -60;

/**
 * A double-talk detector for one microphone against the agent audio the listener plays — a
 * Geigel detector on block energies, with the echo's delay found and its level learned.
 *
 * Each block gives the mic energy and the energy of the agent audio played at the same time. The
 * echo in the mic is `gain ×` the agent block that played one delay earlier ({@link
 * EchoDelayEstimator}; until the delay is known, the loudest block of the last `maxDelayMs`); a
 * mic louder than that by `marginDb` is the user. `gain` starts at `initialEchoGainDb` and
 * follows what echo-only blocks show: it falls at `adaptDbPerSecond`, so a quiet or cancelled
 * echo (headphones, browser AEC) soon lets a soft user through, and rises a step (`riseStepDb`)
 * at a time, so it sits near the echo's loudest blocks and follows an echo getting louder.
 * Blocks judged `user` never teach it, nor does any block for a second after the user was
 * heard, nor any in the 200 ms before (a block teaches only once that long has passed without
 * the user): a user talking over the agent cannot raise the bar against themselves. A mic below
 * −60 dBFS is never the user (the agent's quietest sounds would otherwise pass its silence).
 */
export class EchoGate {
  readonly #margin: number;
  readonly #decayPerBlock: number;
  readonly #riseStep: number;
  readonly #hangoverBlocks: number;
  readonly #agentFloor: number;
  readonly #echoFloor = dbToPower(ECHO_FLOOR_DB);
  /** Agent energy of the last `maxDelayMs`, one entry per block, as a ring. */
  readonly #agentWindow: Float64Array;
  readonly #delay: EchoDelayEstimator;
  readonly #calibration: EchoCalibration;
  readonly #minGain = dbToPower(MIN_ECHO_GAIN_DB);
  #agentAt = 0;
  #gain: number;
  #hangover = 0;
  readonly #learnAfterUserBlocks: number;
  readonly #micFloor = dbToPower(MIC_FLOOR_DB);
  /** Blocks judged since the user was last heard (above the margin). */
  #sinceUser = Number.POSITIVE_INFINITY;
  /** Echo-to-agent ratios of the last echo blocks, waiting `LEARN_DELAY_MS` to teach the level. */
  readonly #pending: Float64Array;
  #pendingCount = 0;
  #pendingAt = 0;

  constructor(blockMs: number, options: EchoGateOptions = {}) {
    const maxDelayBlocks = Math.max(1, Math.ceil((options.maxDelayMs ?? 300) / blockMs));
    this.#agentWindow = new Float64Array(maxDelayBlocks + 1 + DELAY_TOLERANCE_BLOCKS);
    this.#delay = new EchoDelayEstimator(maxDelayBlocks, {
      historyBlocks: Math.round(3000 / blockMs),
      everyBlocks: Math.max(1, Math.round(250 / blockMs)),
    });
    this.#calibration = new EchoCalibration(
      maxDelayBlocks,
      Math.round((options.calibrationMs ?? 800) / blockMs),
    );
    this.#margin = dbToPower(options.marginDb ?? 6);
    this.#gain = dbToPower(options.initialEchoGainDb ?? 0);
    this.#decayPerBlock = dbToPower((-(options.adaptDbPerSecond ?? 10) * blockMs) / 1000);
    this.#riseStep = dbToPower(options.riseStepDb ?? 2);
    this.#hangoverBlocks = Math.round((options.hangoverMs ?? 400) / blockMs);
    this.#learnAfterUserBlocks = Math.round(LEARN_AFTER_USER_MS / blockMs);
    this.#pending = new Float64Array(Math.max(1, Math.round(LEARN_DELAY_MS / blockMs)));
    this.#agentFloor = dbToPower(options.agentFloorDb ?? -50);
  }

  /** The echo level learned so far, in dB (mic energy over agent energy). */
  get echoGainDb(): number {
    return 10 * Math.log10(this.#gain);
  }

  /** The echo's delay found so far, in blocks (undefined while unknown). */
  get delayBlocks(): number | undefined {
    return this.#delay.delayBlocks;
  }

  /**
   * Judges one block. Energies are mean squares of samples scaled to ±1.
   * @param micEnergy The microphone block.
   * @param agentEnergy The agent audio the listener played during that block (0 when none).
   */
  judge(micEnergy: number, agentEnergy: number): EchoVerdict {
    this.#agentWindow[this.#agentAt] = agentEnergy;
    this.#agentAt = (this.#agentAt + 1) % this.#agentWindow.length;
    this.#delay.push(micEnergy, agentEnergy);
    const measured = this.#calibration.push(micEnergy, agentEnergy, agentEnergy >= this.#agentFloor);
    if (measured !== undefined) {
      const bound = Math.max(this.#minGain, measured * dbToPower(CALIBRATION_HEADROOM_DB));
      this.#gain = Math.min(this.#gain, bound);
    }
    const peak = this.#loudest(0, this.#agentWindow.length - 1);
    if (peak < this.#agentFloor) {
      this.#hangover = 0;
      return 'clear';
    }
    const source = this.#echoSource(peak);
    this.#sinceUser++;
    if (micEnergy > this.#gain * source * this.#margin && micEnergy > this.#micFloor) {
      this.#sinceUser = 0;
      this.#hangover = this.#hangoverBlocks;
      this.#pendingCount = 0;
      return 'user';
    }
    // A soft block right after the user spoke is more likely their voice than the echo: it
    // passes, and teaches nothing.
    if (this.#hangover > 0) {
      this.#hangover--;
      return 'user';
    }
    if (this.#sinceUser <= this.#learnAfterUserBlocks) return 'echo';
    // An echo-only block (as far as one can tell): the echo level follows it — down at a bounded
    // pace, up by at most a step. Every echo block may lift it: a band-limited echo is mostly
    // well below its loudest, and a level taught only by blocks near it would sink under the
    // loud ones (a vowel through the speaker) until they pass for the user.
    this.#learnLater(micEnergy / source);
    return 'echo';
  }

  /** Queues an echo block's ratio; the one queued `LEARN_DELAY_MS` ago, still unrefuted, teaches. */
  #learnLater(ratio: number): void {
    const size = this.#pending.length;
    if (this.#pendingCount === size) this.#learn(this.#pending[this.#pendingAt]!);
    else this.#pendingCount++;
    this.#pending[this.#pendingAt] = ratio;
    this.#pendingAt = (this.#pendingAt + 1) % size;
  }

  #learn(ratio: number): void {
    if (ratio < this.#gain) this.#gain = Math.max(ratio, this.#minGain, this.#gain * this.#decayPerBlock);
    else this.#gain = Math.min(ratio, this.#gain * this.#riseStep);
  }

  /** The agent energy the echo in this block comes from. */
  #echoSource(peak: number): number {
    const delay = this.#delay.delayBlocks;
    if (delay === undefined) return peak;
    const aligned = this.#loudest(
      Math.max(0, delay - DELAY_TOLERANCE_BLOCKS),
      delay + DELAY_TOLERANCE_BLOCKS,
    );
    return Math.max(aligned, peak * this.#echoFloor);
  }

  /** The loudest agent block between `fromAgo` and `toAgo` blocks ago (0 = this block). */
  #loudest(fromAgo: number, toAgo: number): number {
    const size = this.#agentWindow.length;
    let max = 0;
    for (let ago = fromAgo; ago <= Math.min(toAgo, size - 1); ago++) {
      const value = this.#agentWindow[(this.#agentAt - 1 - ago + size * 2) % size]!;
      if (value > max) max = value;
    }
    return max;
  }
}
