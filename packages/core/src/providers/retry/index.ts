export { backoffDelayMs } from './backoff';
export { giveUpError } from './give-up-error';
export { ResendAllowance, type ResendLimits } from './resend-allowance';
export { RetryBudget, type RetryBudgetOptions, type RetryDecision } from './retry-budget';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, resolveRetryPolicy } from './retry-policy';
