export {
  type BargeInCue,
  type CueOutcome,
  isStillSpeaking,
  listenQuietly,
  overAgentSpeech,
  type QuietOutcome,
  sayOver,
} from './bargein-episodes';
export { EventLog, type LoggedEvent } from './event-log';
export { ListeningRoom, type ListeningRoomOptions } from './listening-room';
