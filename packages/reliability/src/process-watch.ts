/**
 * Records unhandled promise rejections and uncaught exceptions while a run lasts, and what the
 * process holds open (`process.getActiveResourcesInfo()`), so a run can prove it added nothing.
 */
export class ProcessWatch {
  readonly unhandledRejections: unknown[] = [];
  readonly uncaughtExceptions: unknown[] = [];
  readonly #baseline: Map<string, number>;
  readonly #onRejection = (reason: unknown) => void this.unhandledRejections.push(reason);
  readonly #onException = (error: unknown) => void this.uncaughtExceptions.push(error);

  constructor() {
    this.#baseline = activeResources();
    process.on('unhandledRejection', this.#onRejection);
    process.on('uncaughtException', this.#onException);
  }

  /** Resource types (`TCPSocketWrap`, `Timeout`…) the process holds now beyond the start, by count. */
  resourcesAdded(): Record<string, number> {
    const added: Record<string, number> = {};
    for (const [type, count] of activeResources()) {
      const extra = count - (this.#baseline.get(type) ?? 0);
      if (extra > 0) added[type] = extra;
    }
    return added;
  }

  /** How many resources the process holds beyond the start. */
  resourcesAddedCount(): number {
    return Object.values(this.resourcesAdded()).reduce((sum, n) => sum + n, 0);
  }

  stop(): void {
    process.off('unhandledRejection', this.#onRejection);
    process.off('uncaughtException', this.#onException);
  }
}

function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}
