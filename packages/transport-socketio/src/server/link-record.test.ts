import { describe, expect, it } from 'vitest';
import { LinkRecord, type RecordHost } from './link-record';

/** A host whose writes the test answers one at a time, in order. */
function answeredHost() {
  const writes: { what: string; answer: (outcome: 'saved' | 'superseded' | undefined) => void }[] = [];
  const superseded: LinkRecord[] = [];
  const host: RecordHost = {
    save: (_, savedOn) => new Promise((answer) => writes.push({ what: savedOn, answer })),
    // A delete answered `undefined` failed, as a save would.
    delete: () =>
      new Promise((answer) =>
        writes.push({ what: 'delete', answer: (outcome) => answer(outcome !== undefined) }),
      ),
    superseded: (record) => superseded.push(record),
  };
  return { host, writes, superseded };
}

/** Lets the record's write loop take its next step. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function tracked(promise: Promise<void>) {
  const state = { isDone: false };
  void promise.then(() => {
    state.isDone = true;
  });
  return state;
}

describe('LinkRecord', () => {
  it('a save resolves once the write carrying it is answered, not before', async () => {
    const { host, writes } = answeredHost();
    const record = new LinkRecord('r', 'h', 'o', host);
    const turn = tracked(record.save('turn'));
    await settle();
    expect(turn.isDone).toBe(false);
    writes[0]!.answer('saved');
    await settle();
    expect(turn.isDone).toBe(true);
  });

  it('saves made while one is in flight collapse into one write, and all of them resolve with it', async () => {
    const { host, writes } = answeredHost();
    const record = new LinkRecord('r', 'h', 'o', host);
    const first = tracked(record.save('turn'));
    const second = tracked(record.save('turn'));
    const third = tracked(record.save('drop'));
    await settle();
    writes[0]!.answer('saved');
    await settle();
    expect([first.isDone, second.isDone, third.isDone]).toEqual([true, false, false]);
    expect(writes.map((w) => w.what)).toEqual(['turn', 'drop']);
    writes[1]!.answer(undefined); // failed: still finished, and the record is left dirty
    await settle();
    expect([second.isDone, third.isDone]).toEqual([true, true]);
    expect(record.isDirty).toBe(true);
  });

  it('a superseded record writes nothing more, and the save waiting behind resolves', async () => {
    const { host, writes, superseded } = answeredHost();
    const record = new LinkRecord('r', 'h', 'o', host);
    void record.save('turn');
    const waiting = tracked(record.save('turn'));
    await settle();
    writes[0]!.answer('superseded');
    await settle();
    expect(waiting.isDone).toBe(true);
    expect(superseded).toEqual([record]);
    expect(writes).toHaveLength(1);
  });

  it('a removed record whose delete failed sends the delete again on retry, never a save', async () => {
    const { host, writes } = answeredHost();
    const record = new LinkRecord('r', 'h', 'o', host);
    void record.save('turn');
    await settle();
    writes[0]!.answer('saved');
    record.remove();
    await settle();
    writes[1]!.answer(undefined);
    await settle();
    expect(record.isDirty).toBe(true);
    record.retry();
    await settle();
    writes[2]!.answer('saved');
    await settle();
    expect(writes.map((w) => w.what)).toEqual(['turn', 'delete', 'delete']);
    expect(record.isDirty).toBe(false);
  });
});
