import { type FinishedRecording, type RecordingSink, readCallJournal } from '../src/index';

/** A sink keeping everything in memory, as one stereo WAV and its journal. */
export function memorySink() {
  const parts: Uint8Array[] = [];
  let journal = '';
  let finished: FinishedRecording | undefined;
  const sink: RecordingSink = {
    write: (bytes) => parts.push(bytes.slice()),
    journal: (lines) => {
      journal += lines;
    },
    finish: async (recording) => {
      finished = recording;
    },
  };
  return {
    sink,
    get finished() {
      return finished;
    },
    /** The journal lines handed over so far. */
    journalText: () => journal,
    /** The transcript the journal handed over so far reads as. */
    transcript: () => readCallJournal(journal),
    /** The PCM written, split into the user (left) and agent (right) channels. */
    channels() {
      const bytes = Buffer.concat(parts).subarray(44);
      const stereo = new Int16Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      const user = new Int16Array(stereo.length / 2);
      const agent = new Int16Array(stereo.length / 2);
      for (let i = 0; i < user.length; i++) {
        user[i] = stereo[i * 2]!;
        agent[i] = stereo[i * 2 + 1]!;
      }
      return { user, agent };
    },
  };
}

/** A sink that keeps nothing but counts: for long recordings. */
export function countingSink() {
  let bytes = 0;
  let writes = 0;
  let journalBytes = 0;
  let journalWrites = 0;
  const sink: RecordingSink = {
    write: (chunk) => {
      bytes += chunk.byteLength;
      writes++;
    },
    journal: (lines) => {
      journalBytes += lines.length;
      journalWrites++;
    },
    finish: async () => {},
  };
  return {
    sink,
    get journalBytes() {
      return journalBytes;
    },
    get journalWrites() {
      return journalWrites;
    },
    get bytes() {
      return bytes;
    },
    get writes() {
      return writes;
    },
  };
}

/** Index of the first sample at or after `from` whose magnitude is above `threshold`. */
export function firstLoud(samples: Int16Array, from = 0, threshold = 0): number {
  for (let i = from; i < samples.length; i++) if (Math.abs(samples[i]!) > threshold) return i;
  return -1;
}

/** Index of the last sample before `to` whose magnitude is above `threshold`. */
export function lastLoud(samples: Int16Array, to = samples.length, threshold = 0): number {
  for (let i = to - 1; i >= 0; i--) if (Math.abs(samples[i]!) > threshold) return i;
  return -1;
}
