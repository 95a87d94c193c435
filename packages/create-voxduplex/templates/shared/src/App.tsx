import { type ConversationEntry, useVoiceAgent } from '@voxduplex/react';

/** The server's Socket.IO namespace (`/voice`), on the host that served this page. */
const AGENT_URL = new URL('/voice', window.location.href).toString();

export function App() {
  const agent = useVoiceAgent({ url: AGENT_URL });

  return (
    <main>
      <h1>Voice agent</h1>
      <p className="muted">
        Press Talk and ask for the time, the date or a story. Talk over the agent to interrupt it.
      </p>

      <div className="controls">
        {agent.isActive ? (
          <button type="button" className="talk active" onClick={agent.stop}>
            Hang up
          </button>
        ) : (
          // start() asks for the microphone, so it must run from a click. Its failures (no
          // microphone, permission refused) also land in `agent.error`, shown below.
          <button type="button" className="talk" onClick={() => void agent.start().catch(() => undefined)}>
            Talk
          </button>
        )}
        <button type="button" onClick={agent.interrupt} disabled={!agent.isActive}>
          Interrupt
        </button>
      </div>

      <p className="status">
        Connection: <b data-status={agent.status}>{agent.status}</b>
        {agent.status === 'ready' && <> · {agent.phase}</>}
      </p>
      {agent.error && (
        <p className="error" role="alert">
          {agent.error.reason}: {agent.error.message}
        </p>
      )}

      <ol className="conversation">
        {agent.conversation.map((entry) => (
          <Entry key={`${entry.role}-${entry.speechId ?? entry.turnId}`} entry={entry} />
        ))}
      </ol>
      {agent.interimTranscript && <p className="muted">… {agent.interimTranscript}</p>}
    </main>
  );
}

/** A user turn, or an agent reply (an interrupted one shows only what was heard). */
function Entry({ entry }: { entry: ConversationEntry }) {
  if (entry.role === 'user')
    return (
      <li className="user">
        <b>you</b> {entry.text}
      </li>
    );
  return (
    <li className="agent">
      <b>agent</b> {entry.isInterrupted ? (entry.heardText ?? '') : entry.text}
      {entry.isInterrupted && <em> (interrupted)</em>}
    </li>
  );
}
