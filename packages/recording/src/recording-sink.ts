import { createWriteStream } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallTranscript } from './call-transcript';

/** What a recording hands its sink when it ends. */
export interface FinishedRecording {
  /** The WAV header with the true sizes, for the first 44 bytes of what `write` wrote. */
  readonly header: Uint8Array;
  readonly transcript: CallTranscript;
}

/**
 * Where a call recording goes. `write` receives the WAV file's bytes in order as the call goes
 * on — first a header whose sizes say "unknown" (players read such a file to its end), then
 * stereo PCM every few hundred ms — so a crash loses only the last second or so. `finish` gets
 * the header with the true sizes (a file patches it in; an upload that cannot seek may keep
 * the first) and the call's transcript.
 *
 * {@link fileRecordingSink} writes files; an app streams to object storage with its own sink.
 * `write` must not block: buffer and upload in the background, report failures from `finish`.
 */
export interface RecordingSink {
  write(bytes: Uint8Array): void;
  finish(recording: FinishedRecording): Promise<void>;
}

/** Where {@link fileRecordingSink} writes. */
export interface FileRecordingSinkOptions {
  /** The folder (created if missing). */
  readonly dir: string;
  /** File name without extension, e.g. the session id: `<dir>/<name>.wav` and `<dir>/<name>.json`. */
  readonly name: string;
}

/**
 * A {@link RecordingSink} writing `<dir>/<name>.wav` as the call goes on, then patching its
 * header and writing `<dir>/<name>.json` (the transcript) when it ends.
 *
 * @example
 * ```ts
 * const recorder = new CallRecorder({ sink: fileRecordingSink({ dir: 'recordings', name: 'call-1' }) });
 * ```
 */
export function fileRecordingSink({ dir, name }: FileRecordingSinkOptions): RecordingSink {
  const wavPath = join(dir, `${name}.wav`);
  const ready = mkdir(dir, { recursive: true });
  let failure: unknown;
  let stream: ReturnType<typeof createWriteStream> | undefined;
  const pending: Uint8Array[] = [];
  ready.then(
    () => {
      stream = createWriteStream(wavPath);
      stream.on('error', (error) => {
        failure ??= error;
      });
      for (const bytes of pending.splice(0)) stream.write(bytes);
    },
    (error: unknown) => {
      failure ??= error;
    },
  );
  return {
    write(bytes) {
      if (failure !== undefined) return;
      // The stream copies nothing: hand it bytes the recorder will not reuse.
      if (stream) stream.write(bytes);
      else pending.push(bytes);
    },
    async finish({ header, transcript }) {
      await ready;
      if (stream) await new Promise<void>((resolve) => stream!.end(resolve));
      if (failure !== undefined) throw failure;
      const file = await open(wavPath, 'r+');
      try {
        await file.write(header, 0, header.length, 0);
      } finally {
        await file.close();
      }
      await writeFile(join(dir, `${name}.json`), `${JSON.stringify(transcript, null, 2)}\n`);
    },
  };
}
