/** Unhandled rejections and uncaught exceptions seen while a watch was on. */
export interface ProcessFaults {
  readonly unhandledRejections: unknown[];
  readonly uncaughtExceptions: unknown[];
  /** Removes the listeners. */
  stop(): void;
}

/**
 * Counts `unhandledRejection` and `uncaughtException` on the process: a server that lets a
 * bad message escape as either is broken even when the test runner would survive it.
 */
export function watchProcessFaults(): ProcessFaults {
  const unhandledRejections: unknown[] = [];
  const uncaughtExceptions: unknown[] = [];
  const onRejection = (reason: unknown) => unhandledRejections.push(reason);
  const onException = (error: unknown) => uncaughtExceptions.push(error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    unhandledRejections,
    uncaughtExceptions,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
