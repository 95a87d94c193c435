import { lastValueFrom, toArray, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderRequestError, ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import { FakeLlm, type FakeLlmOptions } from '../../testing/fake-llm';
import type { ProviderHealthEvent } from '../health';
import type { LlmEvent, LlmProvider } from '../llm';
import { type FallbackLlm, fallbackLlm } from './fallback-llm';
import type { FallbackOptions } from './fallback-options';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
const down = () => new ProviderUnavailableError('503 from the API', { source: 'llm:primary' });

/** Two fake LLMs behind a chain, all on one virtual clock; `health` records the chain's events. */
function chainOf(
  primary: Omit<FakeLlmOptions, 'scheduler' | 'name'>,
  backup: Omit<FakeLlmOptions, 'scheduler' | 'name'> = { reply: 'Backup here.' },
  options: Omit<FallbackOptions<LlmProvider>, 'scheduler'> = {},
) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const a = new FakeLlm({ name: 'primary', ...primary, scheduler });
  const b = new FakeLlm({ name: 'backup', ...backup, scheduler });
  const llm: FallbackLlm = fallbackLlm([a, b], { ...options, scheduler });
  const health: (ProviderHealthEvent & { at: number })[] = [];
  const watch = llm.health$.subscribe((event) => health.push({ ...event, at: scheduler.now() }));
  /** Runs one request to its end in virtual time. */
  const ask = () => {
    const events: LlmEvent[] = [];
    let failure: VoxError | undefined;
    let isOver = false;
    llm.generate(request).subscribe({
      next: (event) => events.push(event),
      error: (error: VoxError) => {
        failure = error;
        isOver = true;
      },
      complete: () => (isOver = true),
    });
    // Step the clock only until the request ends (probes due later wait).
    for (let next = scheduler.actions[0]; !isOver && next; next = scheduler.actions[0]) {
      scheduler.maxFrames = next.delay;
      scheduler.flush();
    }
    const text = events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
    return { text, failure, events };
  };
  return { scheduler, a, b, llm, health, watch, ask };
}

describe('fallbackLlm', () => {
  it('restarts a reply on the next provider when the first fails before its first token', () => {
    const c = chainOf({ reply: [{ error: down() }] });
    expect(c.ask()).toMatchObject({ text: 'Backup here.', failure: undefined });
    expect(c.a.requests).toHaveLength(1);
    expect(c.b.requests).toEqual([request]);
    expect(c.health.map((e) => [e.type, 'from' in e && e.from, 'to' in e && e.to])).toEqual([
      ['switched', 'primary', 'backup'],
    ]);
    expect(c.health[0]).toMatchObject({ kind: 'llm', chain: 'fallback(primary,backup)' });
  });

  it('ends the reply with the typed error when the provider fails after a token, without asking the next', () => {
    const c = chainOf({ reply: [{ text: 'Once upon' }, { error: down() }] });
    const { text, failure } = c.ask();
    expect(text).toBe('Once upon');
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure?.source).toBe('llm:primary');
    expect(c.b.requests).toHaveLength(0);
    // It failed, so the next request starts on the backup.
    expect(c.health.map((e) => e.type)).toEqual(['switched']);
    expect(c.ask().text).toBe('Backup here.');
  });

  it('moves on when the first provider sends nothing within firstOutputTimeoutMs', () => {
    const c = chainOf({ reply: 'Too late.', ttftMs: 60_000 }, undefined, { firstOutputTimeoutMs: 2000 });
    const start = c.scheduler.now();
    const reply = c.ask();
    expect(reply.text).toBe('Backup here.');
    expect(c.health[0]).toMatchObject({ type: 'switched', at: start + 2000 });
    expect(c.health[0]?.type === 'switched' && c.health[0].error.code).toBe('provider_timeout');
    // The slow request was cancelled, not left running.
    expect(c.a.streams.open).toBe(0);
    expect(c.a.streams.cancelled).toBe(1);
  });

  it('moves on after a non-retryable error (auth) by default, and ends the request with it under fallbackOn retryable', () => {
    const refused = () => new ProviderAuthError('401 invalid key', { source: 'llm:primary' });
    const anyError = chainOf({ reply: [{ error: refused() }] });
    expect(anyError.ask().text).toBe('Backup here.');
    expect(anyError.health[0]?.type === 'switched' && anyError.health[0].error.code).toBe('provider_auth');

    const strict = chainOf({ reply: [{ error: refused() }] }, undefined, { fallbackOn: 'retryable' });
    expect(strict.ask().failure).toBeInstanceOf(ProviderAuthError);
    expect(strict.b.requests).toHaveLength(0);
    // The request was refused, the provider is not taken out of service.
    expect(strict.health).toEqual([]);
    expect(strict.llm.stats().members.map((m) => m.isHealthy)).toEqual([true, true]);
  });

  it('ends with one ProviderUnavailableError naming every failure when all providers fail', () => {
    const c = chainOf(
      { reply: [{ error: down() }] },
      { reply: [{ error: new ProviderRequestError('400 context too long', { source: 'llm:backup' }) }] },
    );
    const { failure } = c.ask();
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure?.source).toBe('llm:fallback(primary,backup)');
    expect(failure?.message).toContain('llm:primary: 503 from the API');
    expect(failure?.message).toContain('llm:backup: 400 context too long');
    expect(failure?.retryable).toBe(true);
    expect((failure as ProviderUnavailableError).attempts).toBe(2);
  });

  it('serves from the next provider while the first is down, probes it with doubling waits, and returns to it once it answers', () => {
    let isDown = true;
    const c = chainOf(
      { reply: () => (isDown ? [{ error: down() }] : 'Primary again.') },
      { reply: 'Backup here.' },
      { probe: { initialDelayMs: 1000, maxDelayMs: 4000 } },
    );
    expect(c.ask().text).toBe('Backup here.');
    const failedAt = c.health[0]!.at;
    // Later requests start on the backup: the primary is not asked again until it is back.
    expect(c.ask().text).toBe('Backup here.');
    const probesAfter = (ms: number) => {
      c.scheduler.maxFrames = failedAt + ms;
      c.scheduler.flush();
      return c.a.requests.length - 1;
    };
    // Probes at +1 s, +3 s, +7 s, +11 s (waits 1, 2, 4, 4: capped).
    expect([
      probesAfter(999),
      probesAfter(1000),
      probesAfter(3000),
      probesAfter(7000),
      probesAfter(11_000),
    ]).toEqual([0, 1, 2, 3, 4]);
    expect(c.a.requests[1]?.messages).toEqual([{ role: 'user', content: 'ping' }]);
    isDown = false;
    expect(probesAfter(15_000)).toBe(5);
    expect(c.health.map((e) => e.type)).toEqual(['switched', 'recovered']);
    expect(c.health[1]).toMatchObject({ provider: 'primary', downMs: 15_000 });
    expect(c.ask().text).toBe('Primary again.');
    expect(c.llm.stats()).toMatchObject({
      switches: 1,
      recoveries: 1,
      members: [
        { name: 'primary', isHealthy: true, requests: 2, failures: 1, probes: 5 },
        { name: 'backup', isHealthy: true, requests: 2, failures: 0, probes: 0 },
      ],
    });
    expect(c.a.streams.open + c.b.streams.open).toBe(0);
  });

  it('tries a provider out of service again as a last resort, and takes it back when it answers', () => {
    let isPrimaryDown = true;
    const c = chainOf(
      { reply: () => (isPrimaryDown ? [{ error: down() }] : 'Primary again.') },
      { reply: [{ error: down() }] },
      { probe: { initialDelayMs: 60_000 } },
    );
    expect(c.ask().failure).toBeInstanceOf(ProviderUnavailableError);
    isPrimaryDown = false;
    // Both are out of service; the request still tries them in order, and the primary answers.
    expect(c.ask().text).toBe('Primary again.');
    expect(c.health.map((e) => e.type)).toEqual(['switched', 'switched', 'recovered']);
  });

  it('probes only while the chain is in use, and close() stops probing, closes the providers and refuses requests', async () => {
    const c = chainOf({ reply: [{ error: down() }] }, { reply: 'Backup here.', ttftMs: 100 });
    let closedProviders = 0;
    for (const provider of [c.a, c.b]) Object.assign(provider, { close: () => void closedProviders++ });
    c.ask();
    expect(c.scheduler.actions).toHaveLength(1); // the primary's probe timer (health$ is watched)
    c.watch.unsubscribe();
    expect(c.scheduler.actions).toHaveLength(0); // nobody uses the chain: no probe left
    const pending = c.llm.generate(request).subscribe();
    expect(c.scheduler.actions.length).toBeGreaterThan(0); // in use again: probing resumes
    await c.llm.close();
    expect(closedProviders).toBe(2);
    pending.unsubscribe();
    expect(c.scheduler.actions).toHaveLength(0);
    expect(c.a.streams.open + c.b.streams.open).toBe(0);
    await expect(lastValueFrom(c.llm.generate(request).pipe(toArray()))).rejects.toMatchObject({
      code: 'provider_unavailable',
      retryable: false,
    });
  });

  it('aborts the provider request when the reply is unsubscribed', () => {
    const c = chainOf({ reply: 'A long answer.', ttftMs: 500 });
    const subscription = c.llm.generate(request).subscribe();
    expect(c.a.streams.open).toBe(1);
    subscription.unsubscribe();
    expect(c.a.streams.open).toBe(0);
    expect(c.scheduler.actions).toHaveLength(0);
  });
});
