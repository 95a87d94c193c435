import type fc from 'fast-check';
import type { FaultKind, FaultTarget, ReliabilityServer, SimulatedUser } from '../src/index';

/** What the test believes about each client slot, and how the server serves them. */
export interface Model {
  /** The sessions use fallback chains (primary + stand-by); flapping primaries are drawn. */
  readonly chains: boolean;
  readonly slots: (
    | { readonly state: 'absent' }
    | { readonly state: 'connected'; readonly autoResume: boolean }
  )[];
}

/** The system under test: one server, one client (or none) per slot. */
export interface Real {
  readonly server: ReliabilityServer;
  readonly users: (SimulatedUser | undefined)[];
  /** Every client ever made, to close them all at the end. */
  readonly everyone: SimulatedUser[];
  /** Numbers utterances and client tags so each is unique in the run. */
  serial: number;
}

export type Cmd = fc.AsyncCommand<Model, Real>;
export type Fault = { readonly target: FaultTarget; readonly kind: FaultKind } | undefined;

export const slotsWhere = (m: Model, state: 'absent' | 'connected') =>
  m.slots.flatMap((slot, index) => (slot.state === state ? [index] : []));
export const hasConnected = (m: Model) => slotsWhere(m, 'connected').length > 0;

/**
 * Commands name a client by `pick`, resolved among the slots in the right state when they run:
 * no generated command is wasted on an empty slot. `resolved` is kept for the report.
 */
export abstract class OnClient implements Cmd {
  slot = -1;
  constructor(readonly pick: number) {}
  check(m: Model): boolean {
    return hasConnected(m);
  }
  async run(m: Model, r: Real): Promise<void> {
    const connected = slotsWhere(m, 'connected');
    this.slot = connected[this.pick % connected.length]!;
    const user = r.users[this.slot];
    if (!user) throw new Error(`slot ${this.slot}: the model says connected but there is no client`);
    await this.act(user, m, r);
  }
  protected abstract act(user: SimulatedUser, m: Model, r: Real): Promise<void>;
  abstract describe(): string;
  toString(): string {
    return `${this.describe()}@${this.slot < 0 ? `pick${this.pick}` : `slot${this.slot}`}`;
  }
}
