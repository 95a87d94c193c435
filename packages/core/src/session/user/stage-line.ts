import { type OperatorFunction, Subject, type Subscription } from 'rxjs';

/** Where a {@link StageLine} delivers. */
export interface StageLineHandlers<Out> {
  next(value: Out): void;
  /** The stage errored; it is started again with the next input. */
  failed(error: unknown): void;
}

/**
 * A long-lived session stage (`audioIn`, `endOfTurn`, `bargeIn`) fed one input at a time. It is
 * subscribed on the first input; when it errors (or completes) it is dropped and started
 * afresh on the next input, after `replay()` gives it what it must know first — so one bad
 * input costs the stage its state, never the session.
 */
export class StageLine<In, Out> {
  #input$: Subject<In> | undefined;
  #subscription: Subscription | undefined;
  #hasStarted = false;
  #isClosed = false;

  constructor(
    private readonly stage: OperatorFunction<In, Out>,
    private readonly handlers: StageLineHandlers<Out>,
    private readonly replay: () => readonly In[] = () => [],
  ) {}

  push(value: In): void {
    if (this.#isClosed) return;
    const input$ = this.#input$ ?? this.#start();
    input$?.next(value);
  }

  close(): void {
    this.#isClosed = true;
    this.#subscription?.unsubscribe();
    this.#subscription = this.#input$ = undefined;
  }

  #start(): Subject<In> | undefined {
    const input$ = new Subject<In>();
    const isRestart = this.#hasStarted;
    this.#hasStarted = true;
    this.#input$ = input$;
    const stop = (error?: { readonly error: unknown }) => {
      if (this.#input$ === input$) this.#input$ = this.#subscription = undefined;
      if (error && !this.#isClosed) this.handlers.failed(error.error);
    };
    const subscription = input$.pipe(this.stage).subscribe({
      next: (value) => this.handlers.next(value),
      error: (error: unknown) => stop({ error }),
      complete: () => stop(),
    });
    if (this.#input$ !== input$) {
      subscription.unsubscribe();
      return undefined;
    }
    this.#subscription = subscription;
    if (isRestart) for (const value of this.replay()) input$.next(value);
    return this.#input$;
  }
}
