import { type AudioFrame, type SttEvent, toVoxError } from '@voxduplex/core';
import { connectable, Observable, Subject, type Subscription } from 'rxjs';
import { checkFrameFormat, POCKETSPHINX_SAMPLE_RATE } from './frame-format';
import { Decoder } from './native/decoder';
import type { ResolvedPocketsphinxSttOptions } from './options';
import { RecentAudio } from './recent-audio';
import { type Work, WorkQueue } from './work-queue';

const SOURCE = 'stt:pocketsphinx';
/** Feed at most this much audio per native call, so the speech flag is read often enough. */
const MAX_SAMPLES_PER_CALL = 1600;
/**
 * With a VAD, frames wait until this much audio is queued (VAD events flush them): five times
 * fewer native calls for the event loop to hand off, and no later pause, end or final.
 */
const MIN_SAMPLES_PER_CALL_WITH_VAD = 1600;
/** PocketSphinx flags speech after `-vad_startspeech` (10) voiced frames: the onset is ~100 ms earlier. */
const SPEECH_DETECTION_LAG_MS = 100;
/**
 * Without a VAD, a phrase reading starts this long before the speech start, for the first
 * sound's onset: PocketSphinx's detector gives that start only as an estimate (see
 * `SPEECH_DETECTION_LAG_MS`).
 */
const PHRASE_READING_LEAD_MS = 150;

/**
 * The user's speech from speech start to speech end. At each pause the decoder's utterance is
 * ended and its words given as a final: the speech then goes on in a new *part*.
 */
interface Utterance {
  readonly startMs: number;
  /** Where the current part starts: the speech start, or the silence of the latest pause. */
  partStartMs: number;
  /** The last interim of the current part. */
  lastText: string;
  nextInterimAtMs: number;
  /** Where the silence of the latest pause began (the VAD's time). */
  pausedAtMs?: number;
  /** `speech-end` was already given, ahead of the decoder (see `announceEnd`). */
  isEndAnnounced?: boolean;
}

/**
 * One recognition stream: a decoder of its own, fed in audio order from a {@link WorkQueue}.
 * One loop makes the native calls, one at a time, so calls never overlap and the decoder is
 * freed only after the call in flight has returned.
 */
export function recognize(
  options: ResolvedPocketsphinxSttOptions,
  audio$: Observable<AudioFrame>,
): Observable<SttEvent> {
  return new Observable<SttEvent>((subscriber) => {
    let isClosed = false;
    let decoder: Decoder | undefined;
    let utterance: Utterance | undefined;
    let lastSpeechEndMs = 0;
    let audioEndMs = 0;
    const isVadDriven = options.vad !== undefined;
    const phraseReading = options.phraseReading;
    const recent = phraseReading
      ? new RecentAudio(phraseReading.maxSpeechMs + 2 * PHRASE_READING_LEAD_MS, POCKETSPHINX_SAMPLE_RATE)
      : undefined;
    let pendingInputs = isVadDriven ? 2 : 1;

    const fail = (error: unknown) => {
      if (isClosed) return;
      isClosed = true;
      subscriber.error(toVoxError(error, SOURCE));
    };
    const queue = new WorkQueue(isVadDriven ? MIN_SAMPLES_PER_CALL_WITH_VAD : 0, MAX_SAMPLES_PER_CALL);
    let isPumping = false;
    let pumping: Promise<void> = Promise.resolve();
    const pump = () => {
      if (isPumping || isClosed || !decoder) return;
      isPumping = true;
      const d = decoder;
      pumping = (async () => {
        try {
          for (let work = queue.take(); work && !isClosed; work = queue.take()) await run(d, work);
        } finally {
          // Synchronously after the last take(): work pushed from now on starts a new loop.
          isPumping = false;
        }
      })().catch(fail);
    };
    const opening = Decoder.open(options)
      .then((opened) => {
        decoder = opened;
        pump();
      })
      .catch(fail);
    const enqueue = (work: Work) => {
      queue.push(work);
      pump();
    };

    /** The VAD's speech-start was passed on before the decoder reached it (see `announceStart`). */
    let isStartAnnounced = false;
    const startUtterance = (atMs: number) => {
      const startMs = Math.max(atMs, lastSpeechEndMs);
      utterance = {
        startMs,
        partStartMs: startMs,
        lastText: '',
        nextInterimAtMs: audioEndMs + options.interimIntervalMs,
      };
      if (!isStartAnnounced) subscriber.next({ type: 'speech-start', atMs: startMs });
      isStartAnnounced = false;
    };
    /** An utterance is being closed: its final is still to come. */
    let isFinishing = false;
    const finishUtterance = async (d: Decoder, atMs: number) => {
      const finished = utterance!;
      utterance = undefined;
      isFinishing = true;
      const endMs = Math.max(atMs, finished.startMs);
      lastSpeechEndMs = endMs;
      if (!finished.isEndAnnounced) subscriber.next({ type: 'speech-end', atMs: endMs });
      // No speech since the last pause: the decoder holds only that silence, whose words (noise
      // decoded as words) must not become a final.
      const isSilentSincePause = finished.pausedAtMs !== undefined && atMs <= finished.pausedAtMs;
      await d.endUtterance();
      const text = await d.hypothesis();
      if (!isSilentSincePause && text !== '') {
        const alternatives = await readPhrases(d, finished.partStartMs, endMs, text);
        emitFinal(finished, text, endMs, alternatives);
      }
      isFinishing = false;
      await d.startUtterance();
    };
    const emitFinal = (current: Utterance, text: string, endMs: number, alternatives: string[] = []) => {
      if (isClosed || text === '') return;
      subscriber.next({
        type: 'final',
        transcript: {
          text,
          isFinal: true,
          startMs: current.partStartMs,
          endMs,
          ...(alternatives.length > 0 ? { alternatives } : {}),
        },
      });
    };
    /** The phrase grammar's reading of a short part (between decoder utterances), if other than `text`. */
    const readPhrases = async (d: Decoder, fromMs: number, toMs: number, text: string): Promise<string[]> => {
      if (!recent || !phraseReading || !d.canReadPhrases || toMs - fromMs > phraseReading.maxSpeechMs)
        return [];
      // With a VAD, the speech between its start and end, both padded: nothing of the silence or
      // echo before the voice, which a forced choice stretches a phrase's first sounds into (an
      // "uh huh" after silence was read as "stop that"); and nothing after the end, whose length
      // would depend on how far the decoder had got when the event came, i.e. on the machine.
      const samples = isVadDriven
        ? recent.between(fromMs, toMs)
        : recent.between(fromMs - PHRASE_READING_LEAD_MS);
      const reading = await d.readPhrases(samples);
      return reading === '' || reading === text ? [] : [reading];
    };
    const readInterim = async (d: Decoder, current: Utterance) => {
      current.nextInterimAtMs = audioEndMs + options.interimIntervalMs;
      const text = await d.hypothesis();
      if (isClosed || text === '' || text === current.lastText || utterance !== current) return;
      if (current.isEndAnnounced) return; // words after speech-end would say the user speaks again
      current.lastText = text;
      subscriber.next({
        type: 'interim',
        transcript: { text, isFinal: false, startMs: current.partStartMs },
      });
    };
    // The user may have finished. First the words so far, from the partial hypothesis (cheap,
    // but rough: "what is to wonder like today"), so a session can start its reply at once; then
    // the decoder's utterance is ended for its best words, given as the final of this part (a
    // session restarts its reply if they differ). A new decoder utterance takes the audio that
    // follows, in case the user goes on: that part is decoded without this one as context.
    const notePause = async (d: Decoder, current: Utterance, atMs: number) => {
      await readInterim(d, current);
      if (isClosed || utterance !== current) return;
      if (!current.isEndAnnounced)
        subscriber.next({ type: 'speech-pause', atMs: Math.max(atMs, current.partStartMs) });
      await d.endUtterance();
      const text = await d.hypothesis();
      const pauseMs = Math.max(atMs, current.partStartMs);
      const alternatives = text === '' ? [] : await readPhrases(d, current.partStartMs, pauseMs, text);
      await d.startUtterance();
      if (utterance !== current) return;
      emitFinal(current, text, pauseMs, alternatives);
      current.pausedAtMs = atMs;
      current.partStartMs = Math.max(atMs, current.partStartMs);
      current.lastText = '';
    };

    const run = async (d: Decoder, work: Work): Promise<void> => {
      if (work.kind === 'vad') {
        const { event } = work;
        if (event.type === 'speech-start' && !utterance) startUtterance(event.atMs);
        else if (event.type === 'speech-pause' && utterance) await notePause(d, utterance, event.atMs);
        else if (event.type === 'speech-end' && utterance) await finishUtterance(d, event.atMs);
        return;
      }
      if (work.kind === 'end') {
        if (utterance) await finishUtterance(d, audioEndMs);
        // Freed before completing, so a completed stream holds no native memory.
        await d.free();
        if (!isClosed) {
          isClosed = true;
          subscriber.complete();
        }
        return;
      }
      for (let offset = 0; offset < work.samples.length && !isClosed; offset += MAX_SAMPLES_PER_CALL) {
        const piece = work.samples.subarray(offset, offset + MAX_SAMPLES_PER_CALL);
        await d.process(piece);
        if (isClosed) return;
        recent?.push(piece, work.startMs + (offset / POCKETSPHINX_SAMPLE_RATE) * 1000);
        audioEndMs = work.startMs + ((offset + piece.length) / POCKETSPHINX_SAMPLE_RATE) * 1000;
        if (!isVadDriven) {
          const isInSpeech = d.isInSpeech();
          if (isInSpeech && !utterance) startUtterance(audioEndMs - SPEECH_DETECTION_LAG_MS);
          else if (!isInSpeech && utterance) await finishUtterance(d, audioEndMs - options.endpointSilenceMs);
        }
        if (utterance && audioEndMs >= utterance.nextInterimAtMs) await readInterim(d, utterance);
      }
    };

    // A speech end with no speech since the last pause adds no words: it is given at once, not
    // after the decoder has caught up (a busy machine's ps_end_utt at the pause can take longer
    // than the rest of the silence), so the session's endpoint delay runs meanwhile. The decoder
    // still closes the utterance in audio order; the pause's final may follow this speech-end.
    let vadPausedAtMs: number | undefined;
    const announceEnd = (atMs: number) => {
      const current = utterance;
      if (!current || current.isEndAnnounced || isClosed) return;
      current.isEndAnnounced = true;
      subscriber.next({ type: 'speech-end', atMs: Math.max(atMs, current.startMs) });
    };

    // The user started to speak: said at once, not after the decoder has caught up with the
    // audio before it — barge-in reacts to this event, and a busy decoder can be hundreds of ms
    // behind. Only between utterances: while one is still being closed in the queue, its
    // speech-end and final must come first.
    const announceStart = (atMs: number) => {
      if (utterance || isFinishing || isStartAnnounced || isClosed || queue.hasPendingVad()) return;
      isStartAnnounced = true;
      subscriber.next({ type: 'speech-start', atMs: Math.max(atMs, lastSpeechEndMs) });
    };

    const inputDone = () => {
      pendingInputs--;
      if (pendingInputs === 0) enqueue({ kind: 'end' });
    };
    const source = connectable(audio$, {
      connector: () => new Subject<AudioFrame>(),
      resetOnDisconnect: false,
    });
    let vadSubscription: Subscription | undefined;
    if (options.vad) {
      vadSubscription = options.vad.detect(source).subscribe({
        next: (event) => {
          if (event.type === 'speech-start') {
            vadPausedAtMs = undefined;
            announceStart(event.atMs);
          } else if (event.type === 'speech-pause') vadPausedAtMs = event.atMs;
          else if (event.atMs === vadPausedAtMs) announceEnd(event.atMs);
          enqueue({ kind: 'vad', event });
        },
        error: fail,
        complete: inputDone,
      });
    }
    const audioSubscription = source.subscribe({
      next: (frame) => {
        if (isClosed) return;
        try {
          checkFrameFormat(frame);
        } catch (error) {
          fail(error);
          return;
        }
        // Copied: the native call reads the buffer later, and producers may reuse theirs.
        if (frame.samples.length > 0)
          enqueue({ kind: 'frame', samples: frame.samples.slice(), startMs: frame.startMs });
      },
      error: fail,
      complete: inputDone,
    });
    const connection = source.connect();

    return () => {
      isClosed = true;
      connection.unsubscribe();
      audioSubscription.unsubscribe();
      vadSubscription?.unsubscribe();
      // Freed after the native call in flight (or the model load) has returned.
      void opening
        .then(() => pumping)
        .then(() => decoder?.free())
        .catch(() => undefined);
    };
  });
}
