import { describe, expect, it } from 'vitest';
import { ControlLane, type LaneCommand } from './control-lane';

function pair() {
  const buffer = ControlLane.createBuffer();
  // Two views of one buffer, as the main thread and the worklet each have.
  return { main: new ControlLane(buffer), worklet: new ControlLane(buffer) };
}

const drained = (lane: ControlLane) => {
  const got: LaneCommand[] = [];
  lane.drain((command) => got.push(command));
  return got;
};

describe('ControlLane', () => {
  it('carries controls to the other side in order, with and without a speechId', () => {
    const { main, worklet } = pair();
    expect(main.write({ type: 'pause', speechId: 'speech-1' })).toBe(true);
    expect(main.write({ type: 'resume', speechId: 'speech-1' })).toBe(true);
    expect(main.write({ type: 'interrupt' })).toBe(true);
    expect(drained(worklet)).toEqual([
      { type: 'pause', speechId: 'speech-1' },
      { type: 'resume', speechId: 'speech-1' },
      { type: 'interrupt' },
    ]);
    expect(drained(worklet)).toEqual([]);
  });

  it('refuses when 32 controls wait unread, and takes more once they are read, wrapping around', () => {
    const { main, worklet } = pair();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 32; i++)
        expect(main.write({ type: 'interrupt', speechId: `s${round}-${i}` })).toBe(true);
      expect(main.write({ type: 'interrupt', speechId: 'one too many' })).toBe(false);
      const got = drained(worklet);
      expect(got.map((c) => c.speechId)).toEqual(Array.from({ length: 32 }, (_, i) => `s${round}-${i}`));
    }
  });

  it('refuses a speechId longer than the protocol allows, and keeps any other text intact', () => {
    const { main, worklet } = pair();
    expect(main.write({ type: 'interrupt', speechId: 'x'.repeat(129) })).toBe(false);
    const id = `réponse-😀-${'y'.repeat(100)}`;
    expect(main.write({ type: 'pause', speechId: id })).toBe(true);
    expect(drained(worklet)).toEqual([{ type: 'pause', speechId: id }]);
  });

  it('is not available on a page that is not cross-origin isolated', () => {
    expect(ControlLane.isAvailable()).toBe(false);
  });
});
