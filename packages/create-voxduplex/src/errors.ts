/** Why the scaffolder stopped; each is a sentence for the terminal, and an exit status of 1. */
export type ScaffoldErrorCode =
  | 'usage'
  | 'node-too-old'
  | 'target-not-empty'
  | 'target-not-directory'
  | 'invalid-project-name';

/** A failure the user can fix: printed as its message alone, without a stack trace. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';

  constructor(
    readonly code: ScaffoldErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** True for a {@link ScaffoldError}, also one from another copy of this module. */
  static isInstance(error: unknown): error is ScaffoldError {
    return error instanceof Error && error.name === 'ScaffoldError' && 'code' in error;
  }
}
