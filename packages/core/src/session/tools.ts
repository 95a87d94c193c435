import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { DtmfDigit } from '../frames/dtmf';

export interface ToolExecutionContext {
  /** Aborted when the user interrupts the turn or the session closes: stop work and reject. */
  readonly signal: AbortSignal;
  readonly turnId: string;
  readonly toolCallId: string;
  /**
   * Keys the caller presses from now on (DTMF; hot, completes when the session closes): a tool
   * can ask "press 1 for sales" and wait, e.g. `await firstValueFrom(context.dtmf$)`.
   */
  readonly dtmf$: Observable<DtmfDigit>;
}

/**
 * A function the agent may call mid-turn. Arguments are validated with `parameters` before
 * `execute` runs; the result (stringified if not a string) goes back to the model.
 */
export interface Tool<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly parameters: Schema;
  execute(args: z.infer<Schema>, context: ToolExecutionContext): Promise<unknown>;
}

/** Identity helper that keeps the schema's inferred argument type for `execute`. */
export function defineTool<Schema extends z.ZodType>(tool: Tool<Schema>): Tool<Schema> {
  return tool;
}
