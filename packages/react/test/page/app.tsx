// The React test page: one component using the hook, as an app would.
import { createRoot } from 'react-dom/client';
import { useVoiceAgent } from '../../src/index';

function Agent({ url }: { url: string }) {
  const agent = useVoiceAgent({ url, auth: { token: 'good' } });
  return (
    <main>
      <button type="button" id="start" onClick={() => void agent.start().catch(() => undefined)}>
        Talk
      </button>
      <button type="button" id="interrupt" onClick={agent.interrupt}>
        Interrupt
      </button>
      <button type="button" id="stop" onClick={agent.stop}>
        Stop
      </button>
      <p id="status">{agent.status}</p>
      <p id="phase">{agent.phase}</p>
      <p id="active">{String(agent.isActive)}</p>
      <ul id="conversation">
        {agent.conversation.map((entry) => (
          <li
            key={`${entry.role}-${entry.speechId ?? entry.turnId}`}
            data-role={entry.role}
            data-interrupted={String(entry.isInterrupted ?? false)}
          >
            {entry.text}
          </li>
        ))}
      </ul>
    </main>
  );
}

const root = document.createElement('div');
document.body.append(root);
createRoot(root).render(<Agent url={`${location.origin}/voice`} />);
