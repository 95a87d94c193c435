import type { DynamicModule, FactoryProvider } from '@nestjs/common';
import type { AttachVoiceAgentOptions, VoiceAgentIdentity } from '@voxduplex/transport-socketio';
import type { ServerOptions } from 'socket.io';

/**
 * Options of {@link VoxduplexModule.forRoot}: everything `attachVoiceAgent` takes
 * (`createSession`, `authenticate` or `allowAnonymous: true`, `limits`, `resumeWindowMs`,
 * `inputSampleRate`, `logger`, `hooks`), plus where the agent is served.
 */
export type VoxduplexModuleOptions<I extends VoiceAgentIdentity = VoiceAgentIdentity> =
  AttachVoiceAgentOptions<I> & {
    /** The Socket.IO namespace of the agent; clients connect to `<origin><namespace>`. Default `'/voice'`. */
    namespace?: string;
    /**
     * Socket.IO server options (`cors`, `path`, …), over `voiceServerOptions(limits)`. They apply
     * when the voxduplex gateway is the first on its port and path to create the server; see the
     * README's "Limits".
     */
    serverOptions?: Partial<ServerOptions>;
  };

/**
 * Options of {@link VoxduplexModule.forRootAsync}: the standard Nest factory shape. The factory
 * runs once, when the app is created, with the providers named in `inject`.
 */
export interface VoxduplexModuleAsyncOptions<I extends VoiceAgentIdentity = VoiceAgentIdentity> {
  /** Modules that export the providers `inject` names (e.g. `ConfigModule`). */
  imports?: DynamicModule['imports'];
  /** Tokens whose providers are passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  useFactory(...args: never[]): VoxduplexModuleOptions<I> | Promise<VoxduplexModuleOptions<I>>;
}
