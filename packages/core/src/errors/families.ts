import { VoxError, type VoxErrorOptions } from './vox-error';

/** A configuration object failed validation; `issues` lists every problem, not only the first. */
export class ConfigError extends VoxError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], options: VoxErrorOptions = {}) {
    super('config_invalid', issues.length > 0 ? `${message}: ${issues.join('; ')}` : message, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * One readable line per schema problem (`turnDetection.minEndpointDelayMs: Too small…`), for a
 * {@link ConfigError}'s `issues`. Takes any zod error (anything with `issues[].path/message`).
 */
export function describeSchemaIssues(error: {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}

/** The provider refused our credentials (HTTP 401/403, gRPC UNAUTHENTICATED/PERMISSION_DENIED). */
export class ProviderAuthError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('provider_auth', message, { ...options, retryable: false });
    this.name = 'ProviderAuthError';
  }
}

/** Options of the errors a retry loop may give up with: how many attempts were made. */
export interface GiveUpErrorOptions extends VoxErrorOptions {
  /** Attempts made before giving up (first try included), when a retry loop gave up. */
  attempts?: number;
}

/** Rate limit or quota exhausted (HTTP 429, gRPC RESOURCE_EXHAUSTED). */
export class ProviderQuotaError extends VoxError {
  /** How long the provider asked us to wait, when it said so. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made before giving up, when a retry loop gave up (see `RetryBudget`). */
  readonly attempts: number | undefined;
  constructor(message: string, options: GiveUpErrorOptions & { retryAfterMs?: number } = {}) {
    super('provider_quota', message, { ...options, retryable: options.retryable ?? true });
    this.name = 'ProviderQuotaError';
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts;
  }
}

/**
 * The provider could not be reached or failed on its side (5xx, UNAVAILABLE, dropped stream).
 * Also what a retry loop gives up with: then `attempts` says how many were made and `cause`
 * holds the last failure.
 */
export class ProviderUnavailableError extends VoxError {
  /** Attempts made before giving up, when a retry loop gave up (see `RetryBudget`). */
  readonly attempts: number | undefined;
  constructor(message: string, options: GiveUpErrorOptions = {}) {
    super('provider_unavailable', message, { ...options, retryable: options.retryable ?? true });
    this.name = 'ProviderUnavailableError';
    this.attempts = options.attempts;
  }
}

/** The provider did not answer in time (no first token, no first audio byte). */
export class ProviderTimeoutError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('provider_timeout', message, { ...options, retryable: options.retryable ?? true });
    this.name = 'ProviderTimeoutError';
  }
}

/** The provider rejected what we sent (HTTP 400, INVALID_ARGUMENT): retrying will not help. */
export class ProviderRequestError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('provider_invalid_request', message, { ...options, retryable: false });
    this.name = 'ProviderRequestError';
  }
}

/** A message on a wire did not match its schema. The message is dropped; the session lives on. */
export class ProtocolError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('protocol_invalid', message, options);
    this.name = 'ProtocolError';
  }
}

/** Audio that cannot be used as given: wrong sample rate, odd byte length, oversized frame. */
export class AudioFormatError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('audio_format', message, options);
    this.name = 'AudioFormatError';
  }
}

/** A state machine was asked for a transition its table does not contain. */
export class IllegalTransitionError extends VoxError {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
  ) {
    super('illegal_transition', `${machine}: no transition from '${from}' on '${event}'`);
    this.name = 'IllegalTransitionError';
  }
}

/** The session was closed; the call that raised this had no effect. */
export class SessionClosedError extends VoxError {
  constructor(message = 'The voice session is closed') {
    super('session_closed', message);
    this.name = 'SessionClosedError';
  }
}

/** A tool's `execute` threw, or its arguments failed the tool's schema. */
export class ToolError extends VoxError {
  constructor(
    readonly toolName: string,
    message: string,
    options: VoxErrorOptions = {},
  ) {
    super('tool_failed', message, options);
    this.name = 'ToolError';
  }
}

/**
 * A stage of a custom pipeline (`pipeline.sentences`, `pipeline.reply`…) threw or errored.
 * `source` names the stage (`'pipeline:sentences'`) and `cause` holds what it threw. The turn
 * the stage served ended; the session lives on.
 */
export class PipelineStageError extends VoxError {
  constructor(
    readonly stage: string,
    message: string,
    options: Omit<VoxErrorOptions, 'source'> = {},
  ) {
    super('pipeline_stage_failed', message, { ...options, source: `pipeline:${stage}` });
    this.name = 'PipelineStageError';
  }
}

/** A native library or system package an engine needs is missing; the message names the install line. */
export class SystemDependencyError extends VoxError {
  constructor(message: string, options: VoxErrorOptions = {}) {
    super('system_dependency_missing', message, options);
    this.name = 'SystemDependencyError';
  }
}
