import { describe, expect, it } from 'vitest';
import type { WebAudioError } from '../errors';
import { unlockAudioContext } from './autoplay';

/**
 * An AudioContext under an autoplay policy: `resume()` only works once a gesture happened.
 * (Headless Chromium grants autoplay to pages opened by the test driver, so the blocked path is
 * exercised here.)
 */
class PolicyBoundContext extends EventTarget {
  state: AudioContextState = 'suspended';
  hasGesture = false;
  resumeCalls = 0;
  async resume(): Promise<void> {
    this.resumeCalls++;
    if (!this.hasGesture) return;
    this.state = 'running';
    this.dispatchEvent(new Event('statechange'));
  }
}

describe('unlockAudioContext', () => {
  it('resolves at once for a running context', async () => {
    const context = new PolicyBoundContext();
    context.state = 'running';
    await unlockAudioContext(context as unknown as AudioContext);
    expect(context.resumeCalls).toBe(0);
  });

  it('reports playback_blocked and resumes on the next user gesture', async () => {
    const context = new PolicyBoundContext();
    const page = new EventTarget();
    const blocked: WebAudioError[] = [];
    let isUnlocked = false;
    const unlocking = unlockAudioContext(context as unknown as AudioContext, {
      gestureTarget: page,
      onBlocked: (error) => blocked.push(error),
    }).then(() => {
      isUnlocked = true;
    });
    await new Promise((r) => setTimeout(r, 80));
    expect(blocked.map((e) => [e.code, e.reason])).toEqual([['audio_device', 'playback_blocked']]);
    expect(isUnlocked).toBe(false);
    // The user clicks: the browser now allows audio, and the listener resumes the context.
    context.hasGesture = true;
    page.dispatchEvent(new Event('pointerdown'));
    await unlocking;
    expect(isUnlocked).toBe(true);
    expect(context.state).toBe('running');
  });

  it('rejects a closed context', async () => {
    const context = new PolicyBoundContext();
    context.state = 'closed';
    await expect(unlockAudioContext(context as unknown as AudioContext)).rejects.toMatchObject({
      reason: 'playback_blocked',
    });
  });
});
