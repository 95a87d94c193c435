import type { ChatMessage, Sentence, SessionEvent } from '@voxduplex/core';

/** Prints the conversation as it happens, one line per thing a user would notice. */
export class ConversationPrinter {
  /** Speeches that started, and lines of those that may yet (an early reply waits for its turn). */
  readonly #started = new Set<string>();
  readonly #waiting = new Map<string, string[]>();

  constructor(
    private readonly now: () => number,
    private readonly write: (line: string) => void = console.log,
  ) {}

  /** A line of the demo's own (`tag` is padded to a column). */
  line(tag: string, text: string): void {
    this.write(this.#format(tag, text));
  }

  /**
   * A sentence on its way to TTS. An early reply (preemptive generation) is synthesized before
   * the user's turn is confirmed and dropped if the user goes on: its lines wait for its start.
   */
  spoken(sentence: Sentence): void {
    const line = this.#format('to TTS', sentence.text);
    if (this.#started.has(sentence.speechId)) this.write(line);
    else this.#waiting.set(sentence.speechId, [...(this.#waiting.get(sentence.speechId) ?? []), line]);
  }

  event(event: SessionEvent): void {
    switch (event.type) {
      case 'speech-start':
        this.#started.add(event.speechId);
        for (const line of this.#waiting.get(event.speechId) ?? [])
          this.write(`${line}  (synthesized early)`);
        this.#waiting.delete(event.speechId);
        return;
      case 'transcript':
        if (event.transcript.isFinal) this.line('stt', `"${event.transcript.text}"`);
        return;
      case 'user-turn':
        this.line('turn', `the user's turn ends: "${event.text}"`);
        return;
      case 'agent-text':
        this.line('shown', event.text.trim());
        return;
      case 'tool-call':
        this.line('tool', `${event.call.name}(${event.call.arguments})`);
        return;
      case 'tool-result':
        this.line('tool', `${event.name} → ${event.result}`);
        return;
      case 'speech-end':
        this.line(
          'agent',
          `done${event.interrupted ? ' [interrupted]' : ''}; the user heard "${event.heardText}"`,
        );
        return;
      case 'error':
        this.line('error', `${event.error.code} (${event.error.source}): ${event.error.message}`);
        return;
      default:
        return;
    }
  }

  history(messages: readonly ChatMessage[]): void {
    this.write('\nThe session history (what an LLM would be given next turn):');
    for (const message of messages) {
      const text =
        message.role === 'tool'
          ? `${message.name} → ${message.content}`
          : `${message.content}${message.role === 'assistant' && message.toolCalls ? ` [calls ${message.toolCalls.map((c) => c.name).join(', ')}]` : ''}`;
      this.write(`  ${message.role.padEnd(10)} ${text}`);
    }
  }

  #format(tag: string, text: string): string {
    return `${(this.now() / 1000).toFixed(2).padStart(6)}s  ${tag.padEnd(8)} ${text}`;
  }
}
