/**
 * Stable error codes. They survive serialization (a transport sends `code`, not the class),
 * so a browser can branch on them without importing the class.
 */
export type VoxErrorCode =
  | 'config_invalid'
  | 'provider_auth'
  | 'provider_quota'
  | 'provider_unavailable'
  | 'provider_timeout'
  | 'provider_invalid_request'
  | 'provider_failed'
  | 'protocol_invalid'
  | 'audio_format'
  | 'audio_device'
  | 'illegal_transition'
  | 'session_closed'
  | 'tool_failed'
  | 'pipeline_stage_failed'
  | 'system_dependency_missing';

/** The plain-object form of a {@link VoxError}, as it travels over a wire. */
export interface SerializedVoxError {
  name: string;
  code: VoxErrorCode;
  message: string;
  retryable: boolean;
  /** Which provider, operator or component raised it (e.g. `'stt:google'`). */
  source?: string | undefined;
}

export interface VoxErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  source?: string;
}

const VOX_ERROR_MARKER = Symbol.for('voxduplex.error');

/**
 * Base class of every error voxduplex raises. Adapters map vendor errors into its subclasses,
 * so an app handles `provider_quota` the same way whichever vendor produced it.
 *
 * Use {@link VoxError.isInstance} rather than `instanceof`: two copies of `@voxduplex/core`
 * in one bundle (or a deserialized error) still answer correctly.
 */
export class VoxError extends Error {
  readonly code: VoxErrorCode;
  /** True when the same request may succeed if tried again later. */
  readonly retryable: boolean;
  readonly source: string | undefined;
  readonly [VOX_ERROR_MARKER] = true;

  constructor(code: VoxErrorCode, message: string, options: VoxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VoxError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.source = options.source;
  }

  static isInstance(value: unknown): value is VoxError {
    return typeof value === 'object' && value !== null && VOX_ERROR_MARKER in value;
  }

  toJSON(): SerializedVoxError {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.source === undefined ? {} : { source: this.source }),
    };
  }
}
