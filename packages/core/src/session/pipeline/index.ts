export { defaultReply } from './default-reply';
export { defaultStages } from './default-stages';
export { audioFrom, type PcmFormat, replyFrom, type StreamSource, streamValues } from './from-streams';
export type { ReplyPiece, ReplySettings, ReplySource, ReplyTurn } from './reply-turn';
export type {
  AudioInContext,
  BargeInContext,
  EndOfTurnContext,
  PipelineStage,
  ResolvedVoicePipeline,
  SpeechChunk,
  SpeechContext,
  StageContext,
  TranscriptsContext,
  VoicePipeline,
} from './stages';
