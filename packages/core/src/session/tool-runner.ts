import { ToolError } from '../errors/families';
import type { ToolCall } from '../frames/chat';
import type { Tool, ToolExecutionContext } from './tools';

/** What a tool call produced, as the model will read it. */
export interface ToolOutcome {
  readonly call: ToolCall;
  readonly content: string;
  readonly isError: boolean;
  /** Set when the call failed (bad arguments, unknown tool, the tool threw). */
  readonly error?: ToolError;
}

/**
 * Runs one tool call: finds the tool, parses and validates the JSON arguments with its zod
 * schema, executes it with the turn's abort signal. Failures become an error *result* the model
 * can read and recover from, not an exception; only an abort rejects.
 */
export async function runToolCall(
  call: ToolCall,
  tools: readonly Tool[],
  context: Pick<ToolExecutionContext, 'signal' | 'turnId' | 'dtmf$'>,
): Promise<ToolOutcome> {
  const fail = (message: string, cause?: unknown): ToolOutcome => {
    const error = new ToolError(call.name, message, cause === undefined ? {} : { cause });
    return { call, content: JSON.stringify({ error: message }), isError: true, error };
  };
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) return fail(`unknown tool '${call.name}'`);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (cause) {
    return fail(`arguments of '${call.name}' are not valid JSON`, cause);
  }
  const parsed = tool.parameters.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    return fail(`invalid arguments for '${call.name}': ${issues.join('; ')}`);
  }
  context.signal.throwIfAborted();
  try {
    const value = await tool.execute(parsed.data, {
      signal: context.signal,
      turnId: context.turnId,
      toolCallId: call.id,
      dtmf$: context.dtmf$,
    });
    context.signal.throwIfAborted();
    return {
      call,
      content: typeof value === 'string' ? value : JSON.stringify(value ?? null),
      isError: false,
    };
  } catch (cause) {
    if (context.signal.aborted) throw context.signal.reason;
    return fail(cause instanceof Error ? cause.message : String(cause), cause);
  }
}
