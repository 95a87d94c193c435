import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { audioFrom, replyFrom } from './from-streams';

describe('replyFrom', () => {
  it('reads an async generator, and unsubscribing returns it (its finally runs)', async () => {
    let isFinallyRun = false;
    async function* agent() {
      try {
        yield 'one ';
        yield 'two ';
        yield 'three';
      } finally {
        isFinallyRun = true;
      }
    }
    expect(await lastValueFrom(replyFrom(agent()).pipe(take(2), toArray()))).toEqual(['one ', 'two ']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(isFinallyRun).toBe(true);
  });

  it('decodes UTF-8 bytes of a ReadableStream, even a character split across chunks, and cancels it', async () => {
    const bytes = new TextEncoder().encode('¡Hola, señor!');
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 1));
        controller.enqueue(bytes.slice(1, 11));
        controller.enqueue(bytes.slice(11));
        controller.close();
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const text = (await lastValueFrom(replyFrom(body).pipe(toArray()))).join('');
    expect(text).toBe('¡Hola, señor!');
    const endless = new ReadableStream<string>({
      pull: (controller) => controller.enqueue('more '),
      cancel: () => {
        cancelled = true;
      },
    });
    await lastValueFrom(replyFrom(endless).pipe(take(3), toArray()));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
  });

  it('passes a reading error on', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield 'a';
      throw new Error('agent crashed');
    }
    await expect(lastValueFrom(replyFrom(broken()))).rejects.toThrow('agent crashed');
  });
});

describe('audioFrom', () => {
  it('turns little-endian bytes into Int16 chunks, holding an odd byte for the next chunk', async () => {
    const samples = Int16Array.of(1, -2, 300, -400);
    const bytes = new Uint8Array(samples.buffer);
    async function* tts() {
      yield bytes.slice(0, 3);
      yield bytes.slice(3);
    }
    const chunks = await lastValueFrom(
      audioFrom(tts(), { sampleRate: 24000, sentenceIndex: 2 }).pipe(toArray()),
    );
    expect(chunks.map((c) => [...c.samples])).toEqual([[1], [-2, 300, -400]]);
    expect(chunks[0]).toMatchObject({ sampleRate: 24000, channels: 1, sentenceIndex: 2 });
  });
});
