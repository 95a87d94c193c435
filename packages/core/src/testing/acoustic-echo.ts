/** How the room carries the agent's voice from the listener's speaker back into the microphone. */
export interface AcousticEchoOptions {
  /** Sample rate of the microphone the echo is mixed into. */
  readonly sampleRate: number;
  /** Speaker-to-microphone delay. */
  readonly delayMs: number;
  /** Echo level relative to the agent audio played, e.g. −12. */
  readonly gainDb: number;
  /** Band-limit the echo like a small speaker and a laptop mic (≈ 200–3500 Hz). Default true. */
  readonly isFiltered?: boolean;
}

interface Played {
  /** Where the first sample plays, in samples of the microphone's clock. */
  readonly at: number;
  readonly samples: Float32Array;
}

/**
 * A room for tests: it plays the agent's audio as a listener's player would (in order, in real
 * time from when it arrives, paused and cleared on command) and gives back what a microphone
 * would pick up of it — delayed, attenuated and band-limited — to mix into the user's audio.
 * Times are in ms of any one clock (virtual or `performance.now()`), used for every call.
 *
 * @example
 * ```ts
 * const room = new AcousticEcho({ sampleRate: 16000, delayMs: 80, gainDb: -12 });
 * session.audio$.subscribe((audio) => room.play(audio.samples, audio.sampleRate, scheduler.now()));
 * session.controls$.subscribe((c) => c.type === 'interrupt' && room.stop(scheduler.now()));
 * // each 20 ms: session.pushAudio({ samples: room.mixInto(userSamples, scheduler.now() - 20), ... })
 * ```
 */
export class AcousticEcho {
  readonly #rate: number;
  readonly #delaySamples: number;
  readonly #gain: number;
  readonly #isFiltered: boolean;
  #queue: Played[] = [];
  /** Where the audio already queued ends (mic samples). */
  #queueEnd = 0;
  #pausedAt: number | undefined;
  /** What had not played when the player paused, and what arrived since: it plays on resume. */
  #held: Float32Array[] = [];
  /** Filter state: the echo is read in order, sample by sample. */
  #highPass = { input: 0, output: 0 };
  #lowPass = 0;

  constructor(options: AcousticEchoOptions) {
    this.#rate = options.sampleRate;
    this.#delaySamples = Math.round((options.delayMs * options.sampleRate) / 1000);
    this.#gain = 10 ** (options.gainDb / 20);
    this.#isFiltered = options.isFiltered ?? true;
  }

  /** The player got a chunk at `atMs`: it plays after what is queued, or at once. */
  play(samples: Int16Array, sampleRate: number, atMs: number): void {
    const played = resampleLinear(samples, sampleRate, this.#rate);
    if (this.#pausedAt !== undefined) {
      this.#held.push(played);
      return;
    }
    const at = Math.max(this.#toSamples(atMs), this.#queueEnd);
    this.#queue.push({ at, samples: played });
    this.#queueEnd = at + played.length;
  }

  /** The player paused at `atMs`: the speaker falls silent; what had not played waits. */
  pause(atMs: number): void {
    if (this.#pausedAt !== undefined) return;
    this.#pausedAt = this.#toSamples(atMs);
    this.#held = this.#cut(this.#pausedAt);
  }

  /** The player resumed at `atMs`: the rest plays from now. */
  resume(atMs: number): void {
    if (this.#pausedAt === undefined) return;
    this.#pausedAt = undefined;
    const rest = this.#held;
    this.#held = [];
    this.#queueEnd = this.#toSamples(atMs);
    for (const samples of rest) {
      this.#queue.push({ at: this.#queueEnd, samples });
      this.#queueEnd += samples.length;
    }
  }

  /** The player was cleared at `atMs` (an interrupt): nothing more plays. */
  stop(atMs: number): void {
    this.#cut(this.#pausedAt ?? this.#toSamples(atMs));
    this.#held = [];
    this.#pausedAt = undefined;
    this.#queueEnd = this.#toSamples(atMs);
  }

  /** The echo reaching the microphone in the `length` samples starting at `fromMs`. */
  echo(fromMs: number, length: number): Float32Array {
    const out = new Float32Array(length);
    const start = this.#toSamples(fromMs) - this.#delaySamples;
    for (const played of this.#queue) {
      const from = Math.max(start, played.at);
      const to = Math.min(start + length, played.at + played.samples.length);
      for (let t = from; t < to; t++) out[t - start] = played.samples[t - played.at]! * this.#gain;
    }
    // Chunks wholly in the past are heard no more.
    this.#queue = this.#queue.filter((played) => played.at + played.samples.length > start + length);
    return this.#isFiltered ? this.#bandLimit(out) : out;
  }

  /** `user` (the user's own microphone signal) with the echo added, clipped to 16 bits. */
  mixInto(user: Int16Array, fromMs: number): Int16Array {
    const echo = this.echo(fromMs, user.length);
    return Int16Array.from(user, (sample, i) =>
      Math.max(-32768, Math.min(32767, Math.round(sample + echo[i]! * 32768))),
    );
  }

  #toSamples(ms: number): number {
    return Math.round((ms * this.#rate) / 1000);
  }

  /** Drops what plays from `at` on; returns it, in order. */
  #cut(at: number): Float32Array[] {
    const rest: Float32Array[] = [];
    this.#queue = this.#queue.flatMap((played) => {
      if (played.at >= at) {
        rest.push(played.samples);
        return [];
      }
      const kept = at - played.at;
      if (kept >= played.samples.length) return [played];
      rest.push(played.samples.subarray(kept));
      return [{ at: played.at, samples: played.samples.subarray(0, kept) }];
    });
    return rest;
  }

  /** One-pole high-pass (≈ 200 Hz) then low-pass (≈ 3.5 kHz). */
  #bandLimit(samples: Float32Array): Float32Array {
    const highCoefficient = Math.exp((-2 * Math.PI * 200) / this.#rate);
    const lowCoefficient = Math.exp((-2 * Math.PI * 3500) / this.#rate);
    const high = this.#highPass;
    for (let i = 0; i < samples.length; i++) {
      const input = samples[i]!;
      high.output = highCoefficient * (high.output + input - high.input);
      high.input = input;
      this.#lowPass = (1 - lowCoefficient) * high.output + lowCoefficient * this.#lowPass;
      samples[i] = this.#lowPass;
    }
    return samples;
  }
}

/** Samples scaled to ±1 at `toRate` (linear interpolation: good enough for an echo). */
function resampleLinear(samples: Int16Array, fromRate: number, toRate: number): Float32Array {
  const length = Math.round((samples.length * toRate) / fromRate);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const position = (i * fromRate) / toRate;
    const index = Math.floor(position);
    const next = samples[Math.min(index + 1, samples.length - 1)] ?? 0;
    const current = samples[index] ?? 0;
    out[i] = (current + (next - current) * (position - index)) / 32768;
  }
  return out;
}
