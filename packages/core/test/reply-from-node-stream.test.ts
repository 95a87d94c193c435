/// <reference types="node" />
// In test/ rather than beside the helper: core's sources may not import Node built-ins.
import { Readable } from 'node:stream';
import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { replyFrom } from '../src/session/pipeline/from-streams';

describe('replyFrom on Node streams', () => {
  it('reads a Node stream of bytes and destroys it when unsubscribed', async () => {
    const agent = Readable.from(
      (function* () {
        for (let i = 0; ; i++) yield Buffer.from(`word${i} `);
      })(),
    );
    expect(await lastValueFrom(replyFrom(agent).pipe(take(2), toArray()))).toEqual(['word0 ', 'word1 ']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(agent.destroyed).toBe(true);
  });
});
