// Spoken turns against a running voice server, as a user's Node client would take them: copied
// into a scratch app and run there, so `@voxduplex/transport-socketio/client` is the installed one.
//
//   node turn-client.mjs plan.json   →  one JSON line on stdout: { turns: [...] }
//
// plan: { url, auth?, questions: [{ text, pcm, frames, lastVoicedFrame }], playOutFirst,
// turnTimeoutMs, gapMs }. A microphone sends 20 ms frames in real time from connection to the end
// (digital silence between questions, so every question is followed by silence). Per question it records
// the final transcript, the reply's text from `speech-end`, its audio chunks, and voice to voice:
// the frame holding the last voiced sample was sent → the reply's first audio chunk arrived. The
// first reply is played out (acked and finished after its length in real time, as a player
// would); later ones are interrupted at their first chunk, as the offline bench does, so the
// next question follows sooner.
import { readFileSync } from 'node:fs';
import { connectVoiceAgent } from '@voxduplex/transport-socketio/client';

const FRAME_MS = 20;
const FRAME_SAMPLES = 320;
const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const client = connectVoiceAgent(plan.url, {
  auth: plan.auth ?? {},
  reconnection: false,
  readyTimeoutMs: 20_000,
});
const waiters = new Set();
let agentState = 'idle';
let transcript = '';
/** speechId → what arrived for it. */
const speeches = new Map();
const failures = [];

/** Resolves when `predicate()` holds after some event, or rejects after `ms`. */
function until(predicate, what, ms = plan.turnTimeoutMs) {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const waiter = {
      check: () => {
        if (!predicate()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      },
    };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    waiters.add(waiter);
  });
}
const changed = () => {
  for (const waiter of [...waiters]) waiter.check();
};
const speech = (speechId) => {
  if (!speeches.has(speechId)) speeches.set(speechId, { chunks: 0, audioMs: 0, firstAt: undefined });
  return speeches.get(speechId);
};

client.on('status', changed);
client.on('state', (state) => {
  agentState = state.agent;
  changed();
});
client.on('transcript', (t) => {
  if (t.isFinal && t.text.trim()) transcript = `${transcript} ${t.text.trim()}`.trim();
  changed();
});
client.on('agent-audio', (chunk) => {
  const s = speech(chunk.speechId);
  s.chunks++;
  s.audioMs += chunk.durationMs;
  if (s.firstAt === undefined) s.firstAt = performance.now();
  changed();
});
client.on('audio-end', ({ speechId, audioMs }) => {
  speech(speechId).audioEndMs = audioMs;
  changed();
});
client.on('speech-end', (end) => {
  Object.assign(speech(end.speechId), { ended: end });
  changed();
});
client.on('error', (error) => failures.push(`client error: ${error.code}/${error.reason}: ${error.message}`));
client.on('refused', (refusal) => failures.push(`refused: ${JSON.stringify(refusal)}`));
client.on('closed', ({ reason }) => failures.push(`closed by the server: ${reason}`));

// The microphone: one frame per 20 ms of wall-clock time, drift-corrected.
const microphone = {
  queue: [],
  startedAt: performance.now(),
  sent: 0,
  timer: undefined,
  tick() {
    const due = Math.floor((performance.now() - this.startedAt) / FRAME_MS) + 1;
    while (this.sent < due) {
      const frame = new Int16Array(FRAME_SAMPLES);
      const utterance = this.queue[0];
      if (utterance) {
        const from = utterance.frame * FRAME_SAMPLES;
        frame.set(utterance.samples.subarray(from, from + FRAME_SAMPLES));
        if (utterance.frame === utterance.lastVoicedFrame) utterance.onVoiceEnd(performance.now());
        if (++utterance.frame >= utterance.frames) this.queue.shift();
      }
      client.sendAudio(frame);
      this.sent++;
    }
    this.timer = setTimeout(
      () => this.tick(),
      Math.max(0, this.startedAt + this.sent * FRAME_MS - performance.now()),
    );
  },
  say(question) {
    const bytes = readFileSync(question.pcm);
    const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return new Promise((onVoiceEnd) => this.queue.push({ ...question, samples, frame: 0, onVoiceEnd }));
  },
};

async function turn(question, playOut) {
  transcript = '';
  const known = new Set(speeches.keys());
  const voiceEndedAt = await microphone.say(question);
  const reply = () => [...speeches].find(([id, s]) => !known.has(id) && s.firstAt !== undefined);
  await until(() => reply() !== undefined, `agent audio after "${question.text}"`);
  const [speechId, s] = reply();
  if (playOut) {
    client.playbackStarted(speechId);
    await until(() => s.audioEndMs !== undefined || s.ended, `audio-end of the reply to "${question.text}"`);
    const leftMs = s.firstAt + (s.audioEndMs ?? s.audioMs) - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leftMs)));
    if (!s.ended) {
      client.playbackAck({ speechId, playedMs: s.audioEndMs ?? s.audioMs });
      client.playbackFinished(speechId);
    }
  } else client.interrupt();
  await until(() => s.ended !== undefined, `speech-end of the reply to "${question.text}"`);
  await until(() => agentState === 'listening', 'the agent listening again');
  return {
    question: question.text,
    voice: question.voice,
    transcript,
    replyText: s.ended.text,
    interrupted: s.ended.interrupted,
    audioChunks: s.chunks,
    audioMs: Math.round(s.audioMs),
    v2vMs: Math.round(s.firstAt - voiceEndedAt),
  };
}

const turns = [];
try {
  await until(() => client.status === 'ready', 'ready', 20_000);
  microphone.tick();
  await until(() => agentState === 'listening', 'the agent listening');
  await new Promise((resolve) => setTimeout(resolve, plan.gapMs));
  for (const [index, question] of plan.questions.entries()) {
    turns.push(await turn(question, index === 0 && plan.playOutFirst));
    await new Promise((resolve) => setTimeout(resolve, plan.gapMs));
  }
} catch (error) {
  failures.push(error.message);
} finally {
  clearTimeout(microphone.timer);
  client.close();
}
process.stdout.write(`${JSON.stringify({ turns, failures })}\n`);
process.exit(0);
