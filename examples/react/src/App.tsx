import { type ConversationEntry, useVoiceAgent } from '@voxduplex/react';
import { useEffect, useState } from 'react';
import { LatencyWaterfall } from './LatencyWaterfall';
import { createOutputMeter } from './output-meter';
import type { TurnMetrics } from './waterfall';

/** How many turns' waterfalls stay on screen. */
const SHOWN_TURNS = 3;

export function App() {
  // One AudioContext for the page, created before the first render of the hook (its options are
  // read once); `start()` resumes it from the Talk click.
  const [meter] = useState(createOutputMeter);
  const agent = useVoiceAgent({
    url: new URL('/voice', window.location.href).toString(),
    audioContext: meter.context,
    player: { destination: meter.analyser },
  });
  const [turns, setTurns] = useState<TurnMetrics[]>([]);
  const [level, setLevel] = useState({ now: 0, max: 0 });

  useEffect(
    () => agent.client.on('metrics', (metrics) => setTurns((all) => [...all, metrics].slice(-SHOWN_TURNS))),
    [agent.client],
  );
  useEffect(() => {
    const timer = setInterval(() => {
      const now = meter.peak();
      setLevel((last) => (now === 0 && last.now === 0 ? last : { now, max: Math.max(last.max, now) }));
    }, 50);
    return () => clearInterval(timer);
  }, [meter]);

  return (
    <main>
      <header>
        <h1>voxduplex</h1>
        <p className="muted">
          Press Talk and ask for the time, the weather or a story. Talk over it to interrupt.
        </p>
      </header>

      <section className="controls">
        {agent.isActive ? (
          <button type="button" id="talk" className="talk active" onClick={agent.stop}>
            Hang up
          </button>
        ) : (
          <button
            type="button"
            id="talk"
            className="talk"
            onClick={() => void agent.start().catch(() => undefined)}
          >
            Talk
          </button>
        )}
        <button type="button" id="interrupt" onClick={agent.interrupt} disabled={!agent.isActive}>
          Interrupt
        </button>
        <dl className="state">
          <dt>connection</dt>
          <dd id="status">{agent.status}</dd>
          <dt>phase</dt>
          <dd id="phase" className={`phase phase-${agent.phase}`}>
            {agent.phase}
          </dd>
          <dt>agent / user</dt>
          <dd id="states">
            {agent.state.agent} / {agent.state.user}
          </dd>
        </dl>
        <div className="meter" title="agent output level">
          <span>speaker</span>
          <div className="meter-track">
            <div className="meter-fill" style={{ width: `${Math.min(100, level.now * 200)}%` }} />
          </div>
          <output id="output-level" data-peak={level.max.toFixed(4)}>
            peak {level.max.toFixed(2)}
          </output>
        </div>
      </section>

      {agent.error && (
        <p id="error" className="error">
          {agent.error.reason}: {agent.error.message}
        </p>
      )}

      <section className="conversation">
        <h2>Conversation</h2>
        <ol id="conversation">
          {agent.conversation.map((entry) => (
            <Entry key={`${entry.role}-${entry.speechId ?? entry.turnId}`} entry={entry} />
          ))}
        </ol>
        <p id="interim" className="interim">
          {agent.interimTranscript ? `… ${agent.interimTranscript}` : ''}
        </p>
      </section>

      <section className="latency">
        <h2>Latency per turn (from the end of your speech)</h2>
        <div id="waterfalls">
          {turns.length === 0 ? (
            <p className="muted">after the first reply</p>
          ) : (
            turns.map((metrics) => <LatencyWaterfall key={metrics.speechId} metrics={metrics} />)
          )}
        </div>
      </section>
    </main>
  );
}

/** A user turn, or an agent reply with what was heard of it when it was interrupted. */
function Entry({ entry }: { entry: ConversationEntry }) {
  if (entry.role === 'user')
    return (
      <li data-role="user" className="user">
        <b>you</b> {entry.text}
      </li>
    );
  const heard = entry.isInterrupted ? (entry.heardText ?? '') : entry.text;
  const unheard = entry.isInterrupted && entry.text.startsWith(heard) ? entry.text.slice(heard.length) : '';
  return (
    <li data-role="agent" className="agent" data-interrupted={entry.isInterrupted ? 'true' : 'false'}>
      <b>agent</b> {heard}
      {unheard && <s className="unheard">{unheard}</s>}
      {entry.isInterrupted && <em> (interrupted)</em>}
    </li>
  );
}
