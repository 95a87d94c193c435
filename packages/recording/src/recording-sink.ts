import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CallJournalEntry, readCallJournal } from './call-journal';

/** What a recording hands its sink when it ends; also what `CallRecorder.finished` resolves with. */
export interface FinishedRecording {
  readonly sessionId: string;
  /** The WAV header with the true sizes, for the first 44 bytes of what `write` wrote. */
  readonly header: Uint8Array;
  /** Length of the recording, ms. */
  readonly durationMs: number;
  /** The session's close reason, or `stopped`. */
  readonly endReason: string;
}

/**
 * Where a call recording goes, as the call goes on, so a crash loses only the last second or so:
 *
 * - `write` receives the WAV file's bytes in order — first a header whose sizes say "unknown"
 *   (ffmpeg, sox and browsers read such a file to its end; `repairWav` fixes it for stricter
 *   readers), then stereo PCM every few hundred ms.
 * - `journal` receives the transcript as JSON Lines ({@link CallJournalEntry}), whole lines, in
 *   order, at most about once a second of call — `readCallJournal` turns them into a `CallTranscript`.
 * - `finish` gets the header with the true sizes (a file patches it in; an upload that cannot
 *   seek may keep the first) once the last bytes and lines were handed over.
 *
 * {@link fileRecordingSink} writes files; an app streams to object storage with its own sink.
 * `write` and `journal` must not block: buffer and upload in the background, report failures
 * from `finish`.
 */
export interface RecordingSink {
  write(bytes: Uint8Array): void;
  journal(lines: string): void;
  finish(recording: FinishedRecording): Promise<void>;
}

/** Where {@link fileRecordingSink} writes. */
export interface FileRecordingSinkOptions {
  /** The folder (created if missing). */
  readonly dir: string;
  /** File name without extension, e.g. the session id: `<dir>/<name>.wav`, `.jsonl`, `.json`. */
  readonly name: string;
}

/**
 * A {@link RecordingSink} writing `<dir>/<name>.wav` and the journal `<dir>/<name>.jsonl` as the
 * call goes on; when it ends, it patches the WAV header, writes the transcript
 * `<dir>/<name>.json` and removes the journal. After a crash the `.wav` and the `.jsonl` hold
 * the call up to its last second or so (`readCallJournal`, `repairWav`).
 *
 * @example
 * ```ts
 * const recorder = new CallRecorder({ sink: fileRecordingSink({ dir: 'recordings', name: 'call-1' }) });
 * ```
 */
export function fileRecordingSink({ dir, name }: FileRecordingSinkOptions): RecordingSink {
  const wavPath = join(dir, `${name}.wav`);
  const journalPath = join(dir, `${name}.jsonl`);
  const ready = mkdir(dir, { recursive: true });
  const wav = appendingFile(ready, wavPath);
  const journal = appendingFile(ready, journalPath);
  return {
    // The stream copies nothing: the recorder hands over bytes it will not reuse.
    write: (bytes) => wav.write(bytes),
    journal: (lines) => journal.write(lines),
    async finish({ header }) {
      await Promise.all([wav.end(), journal.end()]);
      const file = await open(wavPath, 'r+');
      try {
        await file.write(header, 0, header.length, 0);
      } finally {
        await file.close();
      }
      const transcript = readCallJournal(await readFile(journalPath, 'utf8'));
      await writeFile(join(dir, `${name}.json`), `${JSON.stringify(transcript, null, 2)}\n`);
      await rm(journalPath);
    },
  };
}

/** A file written in order as parts arrive, from before its folder exists; `end` rejects with the first failure. */
function appendingFile(ready: Promise<unknown>, path: string) {
  let failure: unknown;
  let stream: WriteStream | undefined;
  const pending: (Uint8Array | string)[] = [];
  const opened = ready.then(
    () => {
      stream = createWriteStream(path);
      stream.on('error', (error) => {
        failure ??= error;
      });
      for (const part of pending.splice(0)) stream.write(part);
    },
    (error: unknown) => {
      failure ??= error;
    },
  );
  return {
    write(part: Uint8Array | string): void {
      if (failure !== undefined) return;
      if (stream) stream.write(part);
      else pending.push(part);
    },
    async end(): Promise<void> {
      await opened;
      if (stream) await new Promise<void>((resolve) => stream!.end(resolve));
      if (failure !== undefined) throw failure;
    },
  };
}
