import fc from 'fast-check';
import { io as connectRaw } from 'socket.io-client';
import { expect } from 'vitest';
import { FAULT_KINDS, type FaultTarget, type FlapTarget, faultWord, SimulatedUser } from '../src/index';
import { expectTurnEnd } from './model-based-expect';
import { type Cmd, type Fault, type Model, OnClient, type Real, slotsWhere } from './model-based-model';

export type { Model, Real } from './model-based-model';

class Connect implements Cmd {
  slot = -1;
  constructor(
    readonly pick: number,
    readonly autoResume: boolean,
  ) {}
  check = (m: Model) => slotsWhere(m, 'absent').length > 0;
  async run(m: Model, r: Real) {
    const absent = slotsWhere(m, 'absent');
    this.slot = absent[this.pick % absent.length]!;
    const tag = `slot${this.slot}-${r.serial++}`;
    const user = new SimulatedUser(r.server.url, {
      user: `user${this.slot}`,
      tag,
      autoResume: this.autoResume,
    });
    r.users[this.slot] = user;
    r.everyone.push(user);
    const ready = await user.ready();
    expect(ready.resumed).toBe(false);
    m.slots[this.slot] = { state: 'connected', autoResume: this.autoResume };
  }
  toString = () => `Connect(${this.autoResume ? 'auto-resume' : 'no-resume'})@slot${this.slot}`;
}

/**
 * The user speaks; with `awaitOutcome`, the turn must end as its fault words say: a typed
 * error naming the faulty provider, or the agent's speech with audio. Without, the utterance is
 * sent at once and the command moves on (turns of several clients then overlap).
 */
class Speak extends OnClient {
  constructor(
    pick: number,
    readonly fault: Fault,
    readonly awaitOutcome: boolean,
  ) {
    super(pick);
  }
  protected async act(user: SimulatedUser, m: Model, r: Real) {
    const word = `w${r.serial++}`;
    const faultText = this.fault ? faultWord(this.fault.target, this.fault.kind) : 'hello';
    const text = `${word} ${faultText} please answer`;
    if (!this.awaitOutcome) return user.utter(text);
    await user.speak(text);
    await expectTurnEnd(user, word, m.chains);
  }
  describe = () =>
    `Speak(${this.fault ? faultWord(this.fault.target, this.fault.kind) : 'no fault'}${this.awaitOutcome ? ', await' : ''})`;
}

class Interrupt extends OnClient {
  protected async act(user: SimulatedUser) {
    user.client.interrupt();
  }
  describe = () => 'Interrupt';
}

class SendText extends OnClient {
  protected async act(user: SimulatedUser, _m: Model, r: Real) {
    user.client.sendText(`typed t${r.serial++} question`);
  }
  describe = () => 'SendText';
}

class ReportPlayback extends OnClient {
  constructor(
    pick: number,
    readonly kind: 'ack' | 'started' | 'finished',
    readonly playedMs: number,
  ) {
    super(pick);
  }
  protected async act(user: SimulatedUser) {
    user.reportPlayback(this.kind, this.playedMs);
  }
  describe = () => `ReportPlayback(${this.kind}, ${this.playedMs})`;
}

class BreakRecognition extends OnClient {
  constructor(
    pick: number,
    readonly how: 'fail-stream' | 'end-stream',
  ) {
    super(pick);
  }
  protected async act(user: SimulatedUser) {
    user.breakRecognition(this.how);
  }
  describe = () => `BreakRecognition(${this.how})`;
}

/**
 * The network drops the client mid-whatever. An auto-resuming client must come back to the same
 * session with its resume token; any other client is gone (its session waits out the window).
 */
class Drop extends OnClient {
  protected async act(user: SimulatedUser, m: Model, r: Real) {
    const before = user.readies.length;
    const sessionId = user.sessionId;
    expect(r.server.drop(user.tag)).toBeGreaterThan(0);
    const slot = m.slots[this.slot];
    if (slot?.state === 'connected' && slot.autoResume) {
      const ready = await user.ready(before + 1);
      expect(ready).toMatchObject({ resumed: true, sessionId });
      return;
    }
    await user.waitFor(() => user.client.status === 'closed', 'the client to see the drop');
    r.users[this.slot] = undefined;
    m.slots[this.slot] = { state: 'absent' };
  }
  describe = () => 'Drop';
}

/** A spent resume token (from before a resumption) is refused at the handshake. */
class ReplaySpentToken extends OnClient {
  protected async act(user: SimulatedUser, _m: Model, r: Real) {
    if (user.readies.length < 2) return;
    const spent = user.readies[0]!.resumeToken;
    const socket = connectRaw(r.server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { user: `user${this.slot}`, resumeToken: spent },
    });
    try {
      const refusal = await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to a spent token')), 5000);
        socket.on('connect_error', (error: Error & { data?: unknown }) => {
          clearTimeout(timer);
          resolve(error.data);
        });
        socket.on('connect', () => {
          clearTimeout(timer);
          reject(new Error('a spent resume token was accepted'));
        });
      });
      expect(refusal).toMatchObject({ reason: 'resume_refused' });
    } finally {
      socket.close();
    }
  }
  describe = () => 'ReplaySpentToken';
}

/** The user leaves on purpose: the server ends the session at once. */
class Leave extends OnClient {
  protected async act(user: SimulatedUser, m: Model, r: Real) {
    const sessionId = user.sessionId!;
    user.close();
    r.users[this.slot] = undefined;
    m.slots[this.slot] = { state: 'absent' };
    const deadline = Date.now() + 5000;
    while (r.server.agent.sessions.has(sessionId)) {
      if (Date.now() > deadline) throw new Error(`session ${sessionId} still open after its client left`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  describe = () => 'Leave';
}

/** The app ends the session from the server: the client is told `closed`. */
class ServerEnds extends OnClient {
  protected async act(user: SimulatedUser, m: Model, r: Real) {
    expect(r.server.agent.sessions.remove(user.sessionId!, 'ended by the app')).toBe(true);
    await user.waitFor(() => user.closedReason !== undefined, 'closed');
    expect(user.closedReason).toBe('ended by the app');
    r.users[this.slot] = undefined;
    m.slots[this.slot] = { state: 'absent' };
  }
  describe = () => 'ServerEnds';
}

/** A provider is down for one whole turn of this client; the turn after must work. */
class OutageTurn extends OnClient {
  constructor(
    pick: number,
    readonly provider: 'stt' | 'llm' | 'tts',
  ) {
    super(pick);
  }
  protected async act(user: SimulatedUser, m: Model, r: Real) {
    const { server } = r;
    const word = `o${r.serial++}`;
    const errorsBefore = user.errors.length;
    if (m.chains) {
      // The primary is down for the whole turn: the stand-by serves it (the recognition stream
      // the primary held moves to it with its audio), and the turn is answered.
      const primary = { stt: server.stt, llm: server.llm, tts: server.tts }[this.provider];
      primary.isDown = true;
      try {
        if (this.provider === 'stt') user.breakRecognition('fail-stream');
        await user.speak(`${word} anything`);
        await expectTurnEnd(user, word, true);
      } finally {
        primary.isDown = false;
      }
      return;
    }
    if (this.provider === 'stt') {
      server.stt.isDown = true;
      try {
        // Break the open stream (or open one that fails), so the outage is felt at once. A stream
        // lost just before waits out its backoff and ignores audio meanwhile: keep sending, as a
        // live microphone does, until the session tries the recognizer again.
        const nudge = setInterval(() => user.breakRecognition('fail-stream'), 100);
        try {
          user.breakRecognition('fail-stream');
          await user.waitFor(() => user.errors.length > errorsBefore, 'a recognizer error');
        } finally {
          clearInterval(nudge);
        }
        const errorsBeforeSpeech = user.errors.length;
        const speaking = user.speak(`${word} are you listening`, { heardWithinMs: 10_000 });
        // The first words may fall in the backoff too; the rest of the utterance follows once the
        // user gives up waiting to be heard (10 s), and the next attempt then fails.
        await user.waitFor(
          () => user.errors.length > errorsBeforeSpeech,
          'an error while the user talks',
          25_000,
        );
        expect(user.transcripts.some((t) => t.text.startsWith(word))).toBe(false);
        server.stt.isDown = false;
        await speaking;
      } finally {
        server.stt.isDown = false;
      }
      expect((await user.outcome(word, 10_000)).how).toBe('spoken');
      return;
    }
    const provider = this.provider === 'llm' ? server.llm : server.tts;
    provider.isDown = true;
    try {
      await user.speak(`${word} anything`);
      const outcome = await user.outcome(word, 10_000);
      expect(outcome).toMatchObject({ how: 'error', error: { source: `${this.provider}:faulty` } });
    } finally {
      provider.isDown = false;
    }
  }
  describe = () => `OutageTurn(${this.provider})`;
}

/** A primary provider flaps: down for `downMs` while the run goes on (fallback chains only). */
class Flap implements Cmd {
  constructor(
    readonly target: FlapTarget,
    readonly downMs: number,
  ) {}
  check = (m: Model) => m.chains;
  async run(_m: Model, r: Real) {
    r.server.flap(this.target, this.downMs);
  }
  toString = () => `Flap(${this.target}, ${this.downMs})`;
}

class Pause implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run() {
    await new Promise((resolve) => setTimeout(resolve, this.ms));
  }
  toString = () => `Pause(${this.ms})`;
}

/** Every command, for `fc.commands`. */
export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const pick = fc.nat(60);
  const fault: fc.Arbitrary<Fault> = fc.option(
    fc.record({ target: fc.constantFrom<FaultTarget>('llm', 'tts'), kind: fc.constantFrom(...FAULT_KINDS) }),
    { nil: undefined, freq: 2 },
  );
  const speak = fc.tuple(pick, fault, fc.boolean()).map(([p, f, wait]) => new Speak(p, f, wait));
  const connect = fc.tuple(pick, fc.boolean()).map(([p, auto]) => new Connect(p, auto));
  return [
    connect,
    connect,
    speak,
    speak,
    speak,
    pick.map((p) => new Interrupt(p)),
    pick.map((p) => new SendText(p)),
    fc
      .tuple(
        pick,
        fc.constantFrom<'ack' | 'started' | 'finished'>('ack', 'started', 'finished'),
        fc.nat(3000),
      )
      .map(([p, kind, ms]) => new ReportPlayback(p, kind, ms)),
    fc
      .tuple(pick, fc.constantFrom<'fail-stream' | 'end-stream'>('fail-stream', 'end-stream'))
      .map(([p, how]) => new BreakRecognition(p, how)),
    pick.map((p) => new Drop(p)),
    pick.map((p) => new ReplaySpentToken(p)),
    pick.map((p) => new Leave(p)),
    pick.map((p) => new ServerEnds(p)),
    fc
      .tuple(pick, fc.constantFrom<'stt' | 'llm' | 'tts'>('stt', 'llm', 'tts'))
      .map(([p, provider]) => new OutageTurn(p, provider)),
    fc
      .tuple(fc.constantFrom<FlapTarget>('stt', 'llm', 'tts'), fc.integer({ min: 100, max: 2500 }))
      .map(([target, ms]) => new Flap(target, ms)),
    fc.integer({ min: 10, max: 300 }).map((ms) => new Pause(ms)),
  ];
}
