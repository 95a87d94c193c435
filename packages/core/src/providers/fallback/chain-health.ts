import { defer, Observable, Subject, Subscription } from 'rxjs';
import { ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import type { FallbackKind, ProviderHealthEvent } from '../health';
import { backoffDelayMs } from '../retry/backoff';
import type { FallbackChain, FallbackChainStats } from './fallback-chain';
import type { ResolvedFallbackOptions } from './fallback-options';

interface MemberState {
  isHealthy: boolean;
  downSinceMs: number;
  probeAttempts: number;
  /** The pending probe: its timer, or the probe request running. */
  probe: Subscription | undefined;
  requests: number;
  failures: number;
  probes: number;
  lastError: VoxError | undefined;
}

/**
 * The health of the providers of one fallback chain: which are in service, the order a new
 * request tries them in, background probes of the unhealthy ones (capped doubling waits, run
 * only while the chain is in use), and the events and counters that report it.
 */
export class ChainHealth<P extends { readonly name: string; close?(): void | Promise<void> }> {
  readonly health$: Observable<ProviderHealthEvent>;
  readonly #events = new Subject<ProviderHealthEvent>();
  readonly #states: MemberState[];
  #users = 0;
  #isClosed = false;
  #switches = 0;
  #recoveries = 0;

  constructor(
    readonly kind: FallbackKind,
    readonly members: readonly P[],
    readonly options: ResolvedFallbackOptions<P>,
    readonly defaultProbe: (provider: P) => Observable<unknown>,
  ) {
    this.#states = members.map(() => ({
      isHealthy: true,
      downSinceMs: 0,
      probeAttempts: 0,
      probe: undefined,
      requests: 0,
      failures: 0,
      probes: 0,
      lastError: undefined,
    }));
    this.health$ = this.inUse(this.#events.asObservable());
  }

  get name(): string {
    return this.options.name;
  }

  /** The `source` of an error of member `index`: `llm:openai`. */
  sourceOf(index: number): string {
    return `${this.kind}:${this.members[index]!.name}`;
  }

  /**
   * Member indexes in the order a new request tries them: the healthy ones by priority, then
   * the unhealthy ones (a last resort, in case one is back before its probe said so).
   */
  order(): number[] {
    const healthy = this.members.flatMap((_, i) => (this.#states[i]!.isHealthy ? [i] : []));
    const unhealthy = this.members.flatMap((_, i) => (this.#states[i]!.isHealthy ? [] : [i]));
    return [...healthy, ...unhealthy];
  }

  /**
   * `source`, holding the chain in use while subscribed. After {@link close} it fails at once
   * with a non-retryable error.
   */
  inUse<T>(source: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.#isClosed) {
        subscriber.error(
          new ProviderUnavailableError(`the ${this.kind} fallback chain ${this.name} is closed`, {
            source: `${this.kind}:${this.name}`,
            retryable: false,
          }),
        );
        return;
      }
      if (++this.#users === 1) for (let i = 0; i < this.members.length; i++) this.#scheduleProbe(i);
      const subscription = source.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (--this.#users === 0) for (const state of this.#states) this.#cancelProbe(state);
      };
    });
  }

  /** A request (or recognition stream) starts on member `index`. */
  attempted(index: number): void {
    this.#states[index]!.requests++;
  }

  /** Member `index` gave output: if it was out of service, it is back. */
  succeeded(index: number): void {
    if (!this.#states[index]!.isHealthy) this.#recover(index);
  }

  /** Member `index` failed: it leaves service (once) and is probed until it answers again. */
  failed(index: number, error: VoxError): void {
    const state = this.#states[index]!;
    state.failures++;
    state.lastError = error;
    if (!state.isHealthy) return;
    state.isHealthy = false;
    state.downSinceMs = this.options.scheduler.now();
    state.probeAttempts = 0;
    const from = this.members[index]!.name;
    const next = this.order()[0]!;
    const fields = { chain: this.name, provider: from, err: error };
    if (next === index) this.options.logger.warn(fields, `${this.kind} provider failed, no other is healthy`);
    else {
      const to = this.members[next]!.name;
      this.#switches++;
      this.options.logger.warn({ ...fields, to }, `${this.kind} provider failed, switching to ${to}`);
      this.#events.next({ type: 'switched', kind: this.kind, chain: this.name, from, to, error });
    }
    this.#scheduleProbe(index);
  }

  /**
   * The error a request ends with when every member failed: the only failure as it is, else a
   * {@link ProviderUnavailableError} naming each one, with `attempts` (one per provider) and the
   * last failure as `cause`.
   */
  exhausted(errors: readonly VoxError[]): VoxError {
    if (errors.length === 1) return errors[0]!;
    const list = errors.map((error) => `${error.source ?? this.kind}: ${error.message}`).join('; ');
    return new ProviderUnavailableError(`every ${this.kind} provider of ${this.name} failed (${list})`, {
      cause: errors.at(-1),
      attempts: errors.length,
      source: `${this.kind}:${this.name}`,
      retryable: errors.some((error) => error.retryable),
    });
  }

  /** What every chain shows besides its contract's method: its name, members, health and `close`. */
  surface(): FallbackChain<P> & { readonly specificationVersion: 'v1'; readonly name: string } {
    return {
      specificationVersion: 'v1',
      name: this.name,
      providers: this.members,
      health$: this.health$,
      stats: () => this.stats(),
      close: () => this.close(),
    };
  }

  stats(): FallbackChainStats {
    return {
      name: this.name,
      kind: this.kind,
      members: this.members.map((member, i) => {
        const { isHealthy, requests, failures, probes, lastError } = this.#states[i]!;
        return {
          name: member.name,
          isHealthy,
          requests,
          failures,
          probes,
          ...(lastError ? { lastError } : {}),
        };
      }),
      switches: this.#switches,
      recoveries: this.#recoveries,
    };
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    for (const state of this.#states) this.#cancelProbe(state);
    this.#events.complete();
    await Promise.all(this.members.map((member) => member.close?.()));
  }

  #recover(index: number): void {
    const state = this.#states[index]!;
    this.#cancelProbe(state);
    state.isHealthy = true;
    this.#recoveries++;
    const provider = this.members[index]!.name;
    const downMs = Math.max(0, this.options.scheduler.now() - state.downSinceMs);
    this.options.logger.info({ chain: this.name, provider, downMs }, `${this.kind} provider recovered`);
    this.#events.next({ type: 'recovered', kind: this.kind, chain: this.name, provider, downMs });
  }

  #scheduleProbe(index: number): void {
    const state = this.#states[index]!;
    if (this.#isClosed || this.#users === 0 || state.isHealthy || state.probe) return;
    const { initialDelayMs, maxDelayMs } = this.options.probe;
    // The shared retry rule's waits; no jitter: one probe per provider per chain, not a herd.
    const delayMs = backoffDelayMs(state.probeAttempts + 1, { initialDelayMs, maxDelayMs, jitter: 0 });
    state.probe = this.options.scheduler.schedule(() => {
      state.probe = undefined;
      this.#probe(index);
    }, delayMs);
  }

  #probe(index: number): void {
    const state = this.#states[index]!;
    const member = this.members[index]!;
    const check = this.options.probe.check ?? this.defaultProbe;
    state.probes++;
    const probe = new Subscription();
    state.probe = probe;
    let isSettled = false;
    const settle = (isBack: boolean) => {
      if (isSettled) return;
      isSettled = true;
      probe.unsubscribe();
      state.probe = undefined;
      if (isBack) this.#recover(index);
      else {
        state.probeAttempts++;
        this.#scheduleProbe(index);
      }
    };
    probe.add(this.options.scheduler.schedule(() => settle(false), this.options.probe.timeoutMs));
    probe.add(
      defer(() => check(member)).subscribe({
        next: () => settle(true),
        complete: () => settle(true),
        error: () => settle(false),
      }),
    );
  }

  #cancelProbe(state: MemberState): void {
    state.probe?.unsubscribe();
    state.probe = undefined;
  }
}
