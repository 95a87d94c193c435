/**
 * A first measure of how loud the agent's echo is, taken over the first moments of agent audio,
 * when nothing is known of the echo's delay yet.
 *
 * Whatever the delay (up to `maxDelayBlocks`), the echo of the agent audio played up to
 * `maxDelayBlocks` ago has reached the mic by now. So the mic energy heard since the agent began,
 * over the agent energy played until `maxDelayBlocks` ago, bounds the echo level from above: the
 * echo of the last blocks adds to the mic and not to the agent sum, and a user talking meanwhile
 * only raises it. With no echo at all (headphones, a browser's echo cancellation) it is about the
 * mic's noise over the agent — and a user much softer than the agent can interrupt it seconds
 * earlier than a level that must wait to sink at a bounded pace.
 */
export class EchoCalibration {
  readonly #maxDelayBlocks: number;
  readonly #spanBlocks: number;
  /** Agent energy of the last `maxDelayBlocks` blocks, not yet counted, as a ring. */
  readonly #recentAgent: Float64Array;
  #blocks = 0;
  #micSum = 0;
  #agentSum = 0;

  /**
   * @param maxDelayBlocks The longest echo delay, in blocks.
   * @param spanBlocks How many blocks from the first audible agent block the measure spans; more
   *   than `maxDelayBlocks`.
   */
  constructor(maxDelayBlocks: number, spanBlocks: number) {
    this.#maxDelayBlocks = maxDelayBlocks;
    this.#spanBlocks = Math.max(spanBlocks, maxDelayBlocks + 1);
    this.#recentAgent = new Float64Array(maxDelayBlocks);
  }

  /** The agent has been heard and the measure is not over yet. */
  get isMeasuring(): boolean {
    return this.#blocks > 0 && this.#blocks < this.#spanBlocks;
  }

  /**
   * Adds one block (from the first audible agent block on; earlier ones are ignored). Returns the
   * echo level's upper bound (mic energy over agent energy) on the block that ends the measure,
   * else undefined.
   */
  push(micEnergy: number, agentEnergy: number, isAgentAudible: boolean): number | undefined {
    if (this.#blocks >= this.#spanBlocks || (this.#blocks === 0 && !isAgentAudible)) return undefined;
    const slot = this.#blocks % this.#maxDelayBlocks;
    if (this.#blocks >= this.#maxDelayBlocks) this.#agentSum += this.#recentAgent[slot]!;
    this.#recentAgent[slot] = agentEnergy;
    this.#micSum += micEnergy;
    this.#blocks++;
    if (this.#blocks < this.#spanBlocks || this.#agentSum <= 0) return undefined;
    return this.#micSum / this.#agentSum;
  }
}
