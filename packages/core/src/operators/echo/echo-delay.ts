/** Energies below this (dBFS) count as silence when comparing loudness contours. */
const SILENCE_DB = -80;
/** A contour match weaker than this says nothing about the delay. */
const MIN_CONFIDENCE = 0.5;
/**
 * The best delay must match this much better than any delay far from it: a steady or periodic
 * sound (a tone, a hum) matches at many delays alike and tells none.
 */
const MIN_DISTINCTNESS = 0.1;
/** Delays this close to the best one are not "far from it". */
const NEIGHBOURHOOD_BLOCKS = 5;

const toDb = (energy: number) => Math.max(SILENCE_DB, 10 * Math.log10(energy + 1e-12));

/**
 * Finds how late the agent's voice comes back into the microphone, from the loudness contours
 * of both (10 ms blocks): the delay whose contours match best (Pearson correlation of their dB
 * over the last `historyBlocks`), re-estimated every `everyBlocks`. The user talking over the
 * agent blurs the match; the last confident delay is kept until a new one is found.
 */
export class EchoDelayEstimator {
  readonly #maxDelayBlocks: number;
  readonly #everyBlocks: number;
  readonly #micDb: Float64Array;
  readonly #agentDb: Float64Array;
  #at = 0;
  #count = 0;
  #delayBlocks: number | undefined;

  constructor(maxDelayBlocks: number, { historyBlocks = 300, everyBlocks = 25 } = {}) {
    this.#maxDelayBlocks = maxDelayBlocks;
    this.#everyBlocks = everyBlocks;
    this.#micDb = new Float64Array(historyBlocks);
    this.#agentDb = new Float64Array(historyBlocks);
  }

  /** The delay found, in blocks; undefined until the contours have matched once. */
  get delayBlocks(): number | undefined {
    return this.#delayBlocks;
  }

  push(micEnergy: number, agentEnergy: number): void {
    this.#micDb[this.#at] = toDb(micEnergy);
    this.#agentDb[this.#at] = toDb(agentEnergy);
    this.#at = (this.#at + 1) % this.#micDb.length;
    this.#count++;
    if (this.#count >= this.#micDb.length && this.#count % this.#everyBlocks === 0) this.#estimate();
  }

  #estimate(): void {
    const size = this.#micDb.length;
    const span = size - this.#maxDelayBlocks;
    // Oldest first: index i of the history is ring slot (at + i) % size.
    const mic = (i: number) => this.#micDb[(this.#at + i) % size]!;
    const agent = (i: number) => this.#agentDb[(this.#at + i) % size]!;
    const scores: number[] = [];
    for (let delay = 0; delay <= this.#maxDelayBlocks; delay++) {
      let sumMic = 0;
      let sumAgent = 0;
      let sumMicAgent = 0;
      let sumMic2 = 0;
      let sumAgent2 = 0;
      for (let i = this.#maxDelayBlocks; i < size; i++) {
        const m = mic(i);
        const a = agent(i - delay);
        sumMic += m;
        sumAgent += a;
        sumMicAgent += m * a;
        sumMic2 += m * m;
        sumAgent2 += a * a;
      }
      const covariance = sumMicAgent - (sumMic * sumAgent) / span;
      const spread = Math.sqrt(
        (sumMic2 - (sumMic * sumMic) / span) * (sumAgent2 - (sumAgent * sumAgent) / span),
      );
      scores.push(spread > 0 ? covariance / spread : 0);
    }
    const best = scores.indexOf(Math.max(...scores));
    const runnerUp = Math.max(
      -1,
      ...scores.filter((_, delay) => Math.abs(delay - best) > NEIGHBOURHOOD_BLOCKS),
    );
    if (scores[best]! >= MIN_CONFIDENCE && scores[best]! - runnerUp >= MIN_DISTINCTNESS)
      this.#delayBlocks = best;
  }
}
