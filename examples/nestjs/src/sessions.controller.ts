import { Controller, Get, Inject } from '@nestjs/common';
import { VoxduplexService } from '@voxduplex/nestjs';

/** `GET /sessions`: the live voice sessions, read from the injected {@link VoxduplexService}. */
@Controller('sessions')
export class SessionsController {
  readonly #voice: VoxduplexService;

  constructor(@Inject(VoxduplexService) voice: VoxduplexService) {
    this.#voice = voice;
  }

  @Get()
  list() {
    return { count: this.#voice.sessions.size, ids: this.#voice.sessions.ids() };
  }
}
