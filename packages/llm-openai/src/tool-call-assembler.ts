import type { ToolCall } from '@voxduplex/core';

/** One streamed fragment of a tool call, as found in `choices[0].delta.tool_calls[]`. */
export interface ToolCallDelta {
  readonly index?: number | undefined;
  readonly id?: string | undefined;
  readonly function?:
    | { readonly name?: string | undefined; readonly arguments?: string | undefined }
    | undefined;
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Joins streamed tool-call deltas into whole calls, keyed by `index`, so parallel calls whose
 * fragments interleave (index 0, 1, 0, 1 …) come out intact.
 *
 * Servers that omit `index` (some Ollama versions send each call whole) are handled by `id`:
 * a delta with a new id starts a new call, one without continues the last. A call the server
 * gave no id gets `call_<position>`; empty arguments become `{}` so the tool's schema check
 * sees an object, not a JSON syntax error.
 */
export class ToolCallAssembler {
  readonly #calls = new Map<number, PartialCall>();
  #lastIndex = -1;

  get hasCalls(): boolean {
    return this.#calls.size > 0;
  }

  add(delta: ToolCallDelta): void {
    const index = delta.index ?? this.#indexWithoutPosition(delta.id);
    this.#lastIndex = index;
    let call = this.#calls.get(index);
    if (!call) {
      call = { id: '', name: '', arguments: '' };
      this.#calls.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    // Names come whole in practice, but a server that splits them must not lose a piece.
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  /** The joined calls in index order. */
  calls(): ToolCall[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({
        id: call.id || `call_${index}`,
        name: call.name,
        arguments: call.arguments.trim() === '' ? '{}' : call.arguments,
      }));
  }

  #indexWithoutPosition(id: string | undefined): number {
    if (id !== undefined && id !== '') {
      for (const [index, call] of this.#calls) if (call.id === id) return index;
      return this.#calls.size === 0 ? 0 : Math.max(...this.#calls.keys()) + 1;
    }
    return Math.max(this.#lastIndex, 0);
  }
}
