import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { VoiceAgentIdentity } from '@voxduplex/transport-socketio';
import type { VoxduplexModuleAsyncOptions, VoxduplexModuleOptions } from './options';
import { VOXDUPLEX_OPTIONS } from './tokens';
import { VoxduplexGateway } from './voxduplex.gateway';
import { VoxduplexService } from './voxduplex.service';

/**
 * Serves a voxduplex voice agent on the Socket.IO server of a Nest app (the one
 * `@nestjs/platform-socket.io` runs beside your HTTP routes), at the namespace `/voice` by default.
 * Import it once, in the root module; it is global, so {@link VoxduplexService} can be injected
 * in any module.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     VoxduplexModule.forRoot({
 *       authenticate: ({ auth }) => (auth.token === process.env.VOICE_TOKEN ? { id: 'user' } : null),
 *       createSession: () => createVoiceSession({ stt, llm, tts }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest module is a class, forRoot/forRootAsync its convention
export class VoxduplexModule {
  /** The module with options known when the app's modules are declared. */
  static forRoot<I extends VoiceAgentIdentity = VoiceAgentIdentity>(
    options: VoxduplexModuleOptions<I>,
  ): DynamicModule {
    return voxduplexModule([{ provide: VOXDUPLEX_OPTIONS, useValue: options }]);
  }

  /**
   * The module with options built by a factory from other providers (configuration, your
   * session factory…), resolved when the app is created.
   *
   * @example
   * ```ts
   * VoxduplexModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     authenticate: ({ auth }) => (auth.token === config.getOrThrow('VOICE_TOKEN') ? { id: 'user' } : null),
   *     createSession: () => createVoiceSession({ stt, llm, tts }),
   *   }),
   * });
   * ```
   */
  static forRootAsync<I extends VoiceAgentIdentity = VoiceAgentIdentity>(
    options: VoxduplexModuleAsyncOptions<I>,
  ): DynamicModule {
    return {
      ...voxduplexModule([
        {
          provide: VOXDUPLEX_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (...args: unknown[]) => ReturnType<typeof options.useFactory>,
        },
      ]),
      imports: options.imports ?? [],
    };
  }
}

function voxduplexModule(optionsProviders: Provider[]): DynamicModule {
  return {
    module: VoxduplexModule,
    global: true,
    providers: [...optionsProviders, VoxduplexGateway, VoxduplexService],
    exports: [VoxduplexService],
  };
}
