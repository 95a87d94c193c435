import { describe, expect, it } from 'vitest';
import { EchoGate, type EchoVerdict } from './echo-gate';

const BLOCK_MS = 10;
const fromDb = (db: number) => 10 ** (db / 10);

/** Speech-like agent energy: syllables of 150 ms at -20 dBFS with 50 ms gaps at -60 dBFS. */
function agentEnergy(block: number): number {
  return block % 20 < 15 ? fromDb(-20 - (block % 5)) : fromDb(-60);
}

/** Runs the gate over `blocks` blocks; the mic holds the agent delayed and scaled, plus `user`. */
function runGate(
  gate: EchoGate,
  blocks: number,
  { echoDb = -12, delayBlocks = 8, user = (_block: number): number => 0, firstBlock = 0 } = {},
): EchoVerdict[] {
  const verdicts: EchoVerdict[] = [];
  for (let block = firstBlock; block < firstBlock + blocks; block++) {
    const echo = block - delayBlocks >= 0 ? agentEnergy(block - delayBlocks) * fromDb(echoDb) : 0;
    verdicts.push(gate.judge(echo + user(block), agentEnergy(block)));
  }
  return verdicts;
}

describe('EchoGate', () => {
  it('lets everything through while the agent is silent', () => {
    const gate = new EchoGate(BLOCK_MS);
    expect(gate.judge(fromDb(-30), 0)).toBe('clear');
    expect(gate.judge(fromDb(-70), fromDb(-70))).toBe('clear');
  });

  it.each([-6, -12, -20])('holds back the agent echoed at %i dB with 20-150 ms of delay', (echoDb) => {
    for (const delayBlocks of [2, 8, 15]) {
      const gate = new EchoGate(BLOCK_MS);
      expect(runGate(gate, 500, { echoDb, delayBlocks }).filter((v) => v !== 'echo')).toEqual([]);
    }
  });

  it('learns a quiet echo, then hears a user far quieter than the agent', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300, { echoDb: -30 });
    expect(gate.echoGainDb).toBeLessThan(-25);
    // The user at -35 dBFS over an agent playing at -20 dBFS.
    const verdicts = runGate(gate, 20, { echoDb: -30, firstBlock: 300, user: () => fromDb(-35) });
    expect(verdicts.every((v) => v === 'user')).toBe(true);
  });

  it('hears a user talking over a -12 dB echo as the user', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300);
    const verdicts = runGate(gate, 30, { firstBlock: 300, user: () => fromDb(-22) });
    expect(verdicts.filter((v) => v === 'user').length).toBe(30);
  });

  it('keeps holding back a real echo, whose level wavers from block to block, for minutes', () => {
    // A band-limited speaker and mic pass all of some sounds (vowels) and little of others
    // (hisses, low hums): from one 10 ms block to the next the echo is 0 to 12 dB below its
    // loudest, -12 dB.
    let seed = 7;
    const waver = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return -(seed / 2 ** 31) * 12;
    };
    const gate = new EchoGate(BLOCK_MS);
    const verdicts: EchoVerdict[] = [];
    for (let block = 8; block < 12_000; block++)
      verdicts.push(gate.judge(agentEnergy(block - 8) * fromDb(-12 + waver()), agentEnergy(block)));
    expect(verdicts.slice(300).filter((v) => v === 'user')).toEqual([]);
  });

  it('never takes a near-silent mic for the user, however quiet the agent', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300, { echoDb: -30 });
    // The agent barely audible (a breath at -64 dBFS, one block at -44); the mic holds only its
    // own noise floor, -80 dBFS, which is still 16 dB above that breath's expected echo.
    const verdicts = [...Array(40).fill(-64), -44, -64, -64].map((agentDb) =>
      gate.judge(fromDb(-80), fromDb(agentDb)),
    );
    expect(verdicts.filter((v) => v === 'user')).toEqual([]);
    expect(gate.judge(fromDb(-30), fromDb(-64))).toBe('user');
  });

  it('hears a user much softer than the agent within the first second when there is no echo', () => {
    // Headphones or a browser's echo canceller: the mic holds its own noise, -70 dBFS.
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 90, { echoDb: -80, user: () => fromDb(-70) });
    // 0.9 s into the agent's first speech, the user at -38 dBFS over an agent at -20 dBFS.
    const verdicts = runGate(gate, 20, { echoDb: -80, firstBlock: 90, user: () => fromDb(-38) });
    expect(verdicts.filter((v) => v === 'user')).toHaveLength(20);
  });

  it.each([-6, -12])(
    'measures a wavering %i dB echo at the start without taking it for the user',
    (echoDb) => {
      let seed = 11;
      const waver = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return -(seed / 2 ** 31) * 12;
      };
      for (const delay of [2, 8, 15]) {
        const gate = new EchoGate(BLOCK_MS);
        const verdicts: EchoVerdict[] = [];
        for (let block = 0; block < 600; block++) {
          const echo = block >= delay ? agentEnergy(block - delay) * fromDb(echoDb + waver()) : 0;
          verdicts.push(gate.judge(echo + fromDb(-70), agentEnergy(block)));
        }
        expect(verdicts.filter((v) => v === 'user')).toEqual([]);
        expect(gate.echoGainDb).toBeGreaterThan(echoDb - 12);
      }
    },
  );

  it('follows an echo louder than the agent without taking it for the user', () => {
    const gate = new EchoGate(BLOCK_MS);
    const verdicts = runGate(gate, 300, { echoDb: 3 });
    expect(verdicts.filter((v) => v === 'user')).toEqual([]);
  });

  it('never lets the user raise the echo level against themselves', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300);
    const before = gate.echoGainDb;
    runGate(gate, 200, { firstBlock: 300, user: () => fromDb(-15) });
    expect(gate.echoGainDb).toBeLessThanOrEqual(before + 0.01);
  });

  it('does not let the soft syllables of a user talking on over the echo raise its level', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300);
    const before = gate.echoGainDb;
    // Two seconds of talk: a loud syllable, then a soft one the margin alone would not catch.
    runGate(gate, 200, {
      firstBlock: 300,
      user: (block) => (block % 60 < 10 ? fromDb(-15) : agentEnergy(block - 8) * fromDb(-8)),
    });
    expect(gate.echoGainDb).toBeLessThanOrEqual(before + 0.01);
  });

  it('hears a user whose voice glides in over the echo, and does not climb along with it', () => {
    const gate = new EchoGate(BLOCK_MS);
    runGate(gate, 300);
    const before = gate.echoGainDb;
    // A "w" gliding in: from -45 dBFS, 1.5 dB louder each block, to -15 dBFS, then held.
    const glide = (block: number) => fromDb(Math.min(-15, -45 + 1.5 * (block - 300)));
    const verdicts = runGate(gate, 60, { firstBlock: 300, user: glide });
    expect(verdicts.slice(20).every((v) => v === 'user')).toBe(true);
    expect(gate.echoGainDb).toBeLessThanOrEqual(before + 0.01);
  });

  it('keeps passing the soft end of a word for the hangover, then holds back echo again', () => {
    const gate = new EchoGate(BLOCK_MS, { hangoverMs: 100 });
    runGate(gate, 300);
    runGate(gate, 5, { firstBlock: 300, user: () => fromDb(-15) });
    const after = runGate(gate, 30, { firstBlock: 305 });
    expect(after.slice(0, 10).every((v) => v === 'user')).toBe(true);
    expect(after.slice(10).every((v) => v === 'echo')).toBe(true);
  });
});
