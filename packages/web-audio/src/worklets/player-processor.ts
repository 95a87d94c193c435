// Runs in the AudioWorkletGlobalScope. Bundled on its own (IIFE) and shipped as a string.
import { ControlLane, type LaneCommand } from '../playback/control-lane';
import { PlayerCore } from '../playback/player-core';
import {
  PLAYER_PROCESSOR,
  type PlayerCommand,
  type PlayerMessage,
  type PlayerProcessorInit,
} from './messages';
import { workletScope } from './worklet-scope';

const scope = workletScope();

class PlayerProcessor extends scope.AudioWorkletProcessor {
  private readonly core: PlayerCore;
  private readonly lane: ControlLane | undefined;
  private readonly applyControl = (command: LaneCommand) => {
    if (command.type === 'pause') this.core.pause(command.speechId);
    else if (command.type === 'resume') this.core.resume(command.speechId);
    else this.core.interrupt(command.speechId);
  };

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const { controlBuffer, ...tuning } = (options.processorOptions ?? {}) as PlayerProcessorInit;
    this.lane = controlBuffer ? new ControlLane(controlBuffer) : undefined;
    const post = (message: PlayerMessage) => this.port.postMessage(message);
    this.core = new PlayerCore({ ...tuning, sampleRate: scope.sampleRate }, (event) =>
      post({ type: 'event', event }),
    );
    this.port.onmessage = (event: MessageEvent<PlayerCommand>) => {
      // Controls the main thread wrote to the lane before posting this come first: order holds.
      this.lane?.drain(this.applyControl);
      const command = event.data;
      switch (command.type) {
        case 'chunk':
          this.core.enqueue(command);
          break;
        case 'end':
          this.core.end(command.speechId);
          break;
        case 'pause':
          this.core.pause(command.speechId);
          break;
        case 'resume':
          this.core.resume(command.speechId);
          break;
        case 'interrupt':
          this.core.interrupt(command.speechId);
          break;
        case 'stats':
          post({
            type: 'stats',
            requestId: command.requestId,
            stats: this.core.stats,
            frame: scope.currentFrame,
          });
          break;
      }
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    // Every quantum, not only between the audio thread's bursts as messages are.
    this.lane?.drain(this.applyControl);
    this.core.render(first, scope.currentFrame);
    for (let c = 1; c < channels.length; c++) channels[c]!.set(first);
    return true;
  }
}

scope.registerProcessor(PLAYER_PROCESSOR, PlayerProcessor);
