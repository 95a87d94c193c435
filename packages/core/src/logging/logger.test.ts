import { describe, expect, it } from 'vitest';
import { type ConsoleLike, childLogger, consoleLogger, type Logger, silentLogger } from './logger';

/** A console that keeps what it is asked to print. */
function capturedConsole() {
  const lines: { level: string; args: unknown[] }[] = [];
  const target: ConsoleLike = {
    debug: (...args: unknown[]) => lines.push({ level: 'debug', args }),
    info: (...args: unknown[]) => lines.push({ level: 'info', args }),
    warn: (...args: unknown[]) => lines.push({ level: 'warn', args }),
    error: (...args: unknown[]) => lines.push({ level: 'error', args }),
  };
  return { target, lines };
}

/** pino's `LogFn` overloads, as its typings declare them. */
interface PinoLogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (obj: unknown, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

/** A pino-shaped logger that records `(obj, msg)` as pino receives them. */
function pinoShaped() {
  const calls: { level: string; obj: unknown; msg: unknown }[] = [];
  const fn =
    (level: string): PinoLogFn =>
    (obj: unknown, msg?: unknown) =>
      calls.push({ level, obj, msg });
  return { logger: { debug: fn('debug'), info: fn('info'), warn: fn('warn'), error: fn('error') }, calls };
}

describe('Logger', () => {
  it('takes console and a pino-shaped logger as they are', () => {
    const fromConsole: Logger = console;
    const fromPino: Logger = pinoShaped().logger;
    expect([fromConsole, fromPino].every((logger) => typeof logger.warn === 'function')).toBe(true);
  });
});

describe('consoleLogger', () => {
  it('prints warn and error by default, not info or debug', () => {
    const { target, lines } = capturedConsole();
    const logger = consoleLogger(undefined, target);
    logger.debug('opening stream');
    logger.info({ sessionId: 's1' }, 'session started');
    logger.warn({ reason: 'unauthorized' }, 'voice connection refused');
    logger.error('provider failed');
    expect(lines).toEqual([
      { level: 'warn', args: ['[voxduplex] voice connection refused', { reason: 'unauthorized' }] },
      { level: 'error', args: ['[voxduplex] provider failed'] },
    ]);
  });

  it('prints every level from the one it is given', () => {
    const { target, lines } = capturedConsole();
    const logger = consoleLogger('debug', target);
    logger.debug('a');
    logger.info('b');
    expect(lines.map((line) => line.level)).toEqual(['debug', 'info']);
  });

  it('prints the error under err last, whole, so its stack shows', () => {
    const { target, lines } = capturedConsole();
    const thrown = new TypeError("Cannot read properties of undefined (reading 'verify')");
    consoleLogger('warn', target).warn({ socketId: 'x1', err: thrown }, 'authenticate threw');
    expect(lines[0]!.args).toEqual(['[voxduplex] authenticate threw', { socketId: 'x1' }, thrown]);
    consoleLogger('warn', target).error(thrown);
    expect(lines[1]!.args).toEqual([`[voxduplex] ${thrown.message}`, thrown]);
  });
});

describe('childLogger', () => {
  it('adds its fields to every line, in the (fields, message) form pino takes', () => {
    const { logger, calls } = pinoShaped();
    const child = childLogger(logger, { sessionId: 's1' });
    child.info('session started');
    child.warn({ turnId: 't2' }, 'reply abandoned');
    expect(calls).toEqual([
      { level: 'info', obj: { sessionId: 's1' }, msg: 'session started' },
      { level: 'warn', obj: { sessionId: 's1', turnId: 't2' }, msg: 'reply abandoned' },
    ]);
  });

  it('lets a line override a bound field, nests, and files a bare error under err', () => {
    const { logger, calls } = pinoShaped();
    const child = childLogger(childLogger(logger, { namespace: '/voice', socketId: 'a' }), {
      sessionId: 's1',
    });
    child.debug({ socketId: 'b' }, 'moved');
    const failure = new Error('boom');
    child.error(failure);
    expect(calls).toEqual([
      { level: 'debug', obj: { namespace: '/voice', socketId: 'b', sessionId: 's1' }, msg: 'moved' },
      {
        level: 'error',
        obj: { namespace: '/voice', socketId: 'a', sessionId: 's1', err: failure },
        msg: undefined,
      },
    ]);
  });

  it('over consoleLogger, keeps the level threshold of the console logger', () => {
    const { target, lines } = capturedConsole();
    const child = childLogger(consoleLogger('warn', target), { sessionId: 's1' });
    child.info('quiet');
    child.warn('loud');
    expect(lines).toEqual([{ level: 'warn', args: ['[voxduplex] loud', { sessionId: 's1' }] }]);
  });
});

describe('silentLogger', () => {
  it('accepts every call and prints nothing', () => {
    expect(() => {
      silentLogger.error(new Error('ignored'));
      silentLogger.warn({ a: 1 }, 'ignored');
    }).not.toThrow();
  });
});
