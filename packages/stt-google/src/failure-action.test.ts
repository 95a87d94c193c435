import { describe, expect, test } from 'vitest';
import { failureAction } from './failure-action';

const status = (code: number, details = 'x') =>
  Object.assign(new Error(`${code} X: ${details}`), { code, details });

describe('failed StreamingRecognize calls', () => {
  test.each([
    [11, 'restart'],
    [14, 'retry'],
    [1, 'retry'],
    [13, 'retry'],
    [8, 'retry'],
    [4, 'retry'],
    [16, 'fail'],
    [7, 'fail'],
    [3, 'fail'],
    [12, 'fail'],
  ])('code %i → %s', (code, action) => {
    expect(failureAction(status(code))).toBe(action);
  });

  test('a non-gRPC error is retried', () => {
    expect(failureAction(new Error('socket hang up'))).toBe('retry');
  });
});
