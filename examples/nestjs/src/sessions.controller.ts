import { Controller, Get, Inject } from '@nestjs/common';
import { SessionRegistry } from '@voxduplex/core';

/** `GET /sessions`: the live voice sessions, read from the injected registry. */
@Controller('sessions')
export class SessionsController {
  constructor(@Inject(SessionRegistry) private readonly sessions: SessionRegistry) {}

  @Get()
  list() {
    return { count: this.sessions.size, ids: this.sessions.ids() };
  }
}
