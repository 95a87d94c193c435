import { describe, expect, it } from 'vitest';
import { StopRequest } from './stop-request';

describe('StopRequest', () => {
  const phrases = ['stop', 'wait', 'hold on'];

  it('is a stop phrase final, or a final no longer than a stop its interims heard', () => {
    const request = new StopRequest(phrases);
    expect(request.isStop('stop please')).toBe(true);
    expect(request.isStop('op')).toBe(false);
    request.heardInterim('hold on');
    expect(request.isStop('all about')).toBe(true);
    expect(request.isStop('all about it now')).toBe(false);
    expect(request.isStop('')).toBe(false);
  });

  it('takes a final whose alternative (a reading of the same speech) is a stop for that stop', () => {
    const request = new StopRequest(phrases);
    request.heardFinal('wear it', ['quiet', 'wait']);
    expect(request.isStop('wear it')).toBe(true);
    const other = new StopRequest(phrases);
    other.heardFinal('wear it', ['yeah']);
    expect(other.isStop('wear it')).toBe(false);
    expect(other.isStop('wear it what time is it')).toBe(false);
  });

  it('forgets the interims of the last utterance, and hears none with no phrases', () => {
    const request = new StopRequest(phrases);
    request.heardInterim('stop');
    request.reset();
    expect(request.isStop('op')).toBe(false);
    const off = new StopRequest([]);
    off.heardInterim('stop');
    expect(off.isStop('stop')).toBe(false);
  });
});
