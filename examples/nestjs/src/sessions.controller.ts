import { Controller, Get, Inject } from '@nestjs/common';
import { SessionRegistry } from '@voxduplex/core';

/** `GET /sessions`: the live voice sessions, read from the injected registry. */
@Controller('sessions')
export class SessionsController {
  readonly #sessions: SessionRegistry;

  constructor(@Inject(SessionRegistry) sessions: SessionRegistry) {
    this.#sessions = sessions;
  }

  @Get()
  list() {
    return { count: this.#sessions.size, ids: this.#sessions.ids() };
  }
}
