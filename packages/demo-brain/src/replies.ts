import type { DemoIntent } from './intents';
import { spokenTime } from './spoken-time';

/** What a reply may depend on besides the intent. */
export interface ReplyContext {
  readonly now: Date;
  /** IANA zone for the time; the machine's zone if omitted. */
  readonly timeZone?: string | undefined;
}

const GREETING =
  "Hello! I'm the voxduplex demo assistant, running entirely on this machine. " +
  'You can ask me the time, ask about the weather, or ask me to tell you a story.';

const WEATHER =
  "I don't have live weather data: I'm a demo running offline, with no internet connection. " +
  "So here is a pretend forecast, just for the demo. Today it's mild and partly cloudy, around eighteen degrees, " +
  'with a light breeze from the west. A few showers are possible this evening, so an umbrella would not hurt.';

const FALLBACK =
  "Sorry, I'm only a small demo assistant running offline, so I can't help with that. " +
  'I can say hello, tell you the time, give you a pretend weather forecast, or tell you a story. ' +
  'Try asking: what time is it?';

/**
 * Long on purpose (about 300 words, well over a minute of speech at any natural pace), so a
 * demo has time to interrupt it.
 */
const STORY =
  'Once upon a time, in a small village at the edge of a great forest, there lived a clockmaker named Ada. ' +
  'Her shop was tiny, and every wall was covered with clocks that ticked in a gentle, steady chorus. ' +
  'One winter morning, a traveller knocked on her door, carrying a clock that had stopped at exactly midnight. ' +
  'He told her that the clock had belonged to his grandmother, and that it had not moved for forty years. ' +
  'Ada opened the little wooden case and looked inside. The gears were clean, the spring was strong, ' +
  'and nothing at all seemed broken. Still, the hands would not move. ' +
  'For three days she worked on it. She polished every wheel, she oiled every pin, and she listened to it ' +
  'late into the night, the way a doctor listens to a heartbeat. ' +
  'On the fourth day, she noticed something strange. Folded behind the face of the clock was a tiny note, ' +
  'so small that she needed her brightest lamp to read it. It said: I will start again when someone comes home. ' +
  'Ada smiled, because she understood. She wrapped the clock in a warm blanket and walked with the traveller ' +
  'through the snowy forest, all the way to the old house where his grandmother had lived. ' +
  'The house was cold and empty, but the traveller lit a fire in the old stone fireplace, ' +
  'and together they set the clock on the mantel where it had always stood. ' +
  'For a long moment, nothing happened. Then, softly, the clock began to tick. ' +
  'The traveller laughed and cried at the same time, and he decided, right there, that he would stay. ' +
  'He mended the roof, he planted a garden in the spring, and every evening he wound the clock. ' +
  'And Ada? She went back to her little shop, where the clocks were still ticking their gentle chorus, ' +
  'and she kept the tiny note in a drawer, to remind her that some things are not broken. ' +
  'They are only waiting. The end.';

/** The text the demo brain answers an intent with. Deterministic except for the clock. */
export function replyFor(intent: DemoIntent, context: ReplyContext): string {
  switch (intent) {
    case 'greeting':
      return GREETING;
    case 'time':
      return `${spokenTime(context.now, context.timeZone)} That's the time on this machine's clock.`;
    case 'weather':
      return WEATHER;
    case 'story':
      return STORY;
    case 'stop':
      return 'Okay.';
    case 'fallback':
      return FALLBACK;
  }
}
