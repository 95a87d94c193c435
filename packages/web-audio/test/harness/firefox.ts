import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Firefox ESR (`apt-get install firefox-esr`); never a downloaded browser. */
export const FIREFOX = '/usr/bin/firefox-esr';
/** Firefox plays (and so runs an AudioContext) only with an audio server: a private PulseAudio. */
export const PULSEAUDIO = '/usr/bin/pulseaudio';

/**
 * Firefox prefs for the tests: a fake microphone (a `toneHz` sine, no permission prompt), audio
 * allowed without a gesture, and none of the start-up network chatter.
 */
function prefs(toneHz: number): string {
  const entries: Record<string, boolean | number | string> = {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'media.navigator.audio.fake_frequency': toneHz,
    'media.autoplay.default': 0,
    'media.autoplay.block-webaudio': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    'network.captive-portal-service.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/',
  };
  return Object.entries(entries)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n');
}

/** What a test holds of a running Firefox: one tab, driven over WebDriver BiDi. */
export interface FirefoxTab {
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page, awaits it, returns its result (JSON round trip). */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Closes Firefox and PulseAudio and removes their directories. */
  close(): Promise<void>;
}

/**
 * Starts a private PulseAudio (null sink, socket in a temp dir) and a headless Firefox ESR using
 * it, with a fake microphone playing a `toneHz` sine, and opens a WebDriver BiDi session with
 * Node's own WebSocket (no driver package). Only loopback.
 */
export async function launchFirefox(toneHz = 1000): Promise<FirefoxTab> {
  for (const program of [FIREFOX, PULSEAUDIO]) {
    if (!existsSync(program))
      throw new Error(
        `${program} is missing: apt-get install firefox-esr pulseaudio (scripts/setup.sh does)`,
      );
  }
  const dir = mkdtempSync(join(tmpdir(), 'vox-firefox-'));
  const processes: ChildProcess[] = [];
  const cleanUp = () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socket = join(dir, 'pulse.sock');
    const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, PULSE_SERVER: `unix:${socket}` };
    processes.push(
      spawn(
        PULSEAUDIO,
        [
          '-n',
          '--daemonize=no',
          '--exit-idle-time=-1',
          '--use-pid-file=no',
          '-L',
          'module-null-sink',
          '-L',
          `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
        ],
        { env, stdio: 'ignore' },
      ),
    );
    await until(() => existsSync(socket), 'PulseAudio socket');
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    writeFileSync(join(profile, 'user.js'), prefs(toneHz));
    const firefox = spawn(
      FIREFOX,
      ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0', 'about:blank'],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    processes.push(firefox);
    const endpoint = await new Promise<string>((resolve, reject) => {
      let log = '';
      firefox.stderr!.setEncoding('utf8').on('data', (text: string) => {
        log += text;
        const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
        if (found) resolve(found[1]!);
      });
      firefox.once('error', reject);
      firefox.once('exit', (code) => reject(new Error(`firefox exited (${code}): ${log.slice(-500)}`)));
    });
    const bidi = await connect(`${endpoint}/session`);
    await bidi.send('session.new', { capabilities: {} });
    const tree = (await bidi.send('browsingContext.getTree', {})) as { contexts: { context: string }[] };
    const context = tree.contexts[0]!.context;
    return {
      async goto(url) {
        await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' });
      },
      async evaluate(fn, arg) {
        const answer = (await bidi.send('script.callFunction', {
          functionDeclaration: `async (json) => JSON.stringify(await (${fn.toString()})(JSON.parse(json)))`,
          arguments: [{ type: 'string', value: JSON.stringify(arg ?? null) }],
          target: { context },
          awaitPromise: true,
        })) as { type: string; result?: { value?: string }; exceptionDetails?: { text: string } };
        if (answer.type === 'exception') throw new Error(`page threw: ${answer.exceptionDetails?.text}`);
        const json = answer.result?.value;
        return json === undefined ? (undefined as never) : JSON.parse(json);
      },
      async close() {
        await bidi.send('browser.close', {}).catch(() => undefined);
        bidi.close();
        await Promise.race([
          new Promise((resolve) => firefox.once('exit', resolve)),
          new Promise((resolve) => setTimeout(resolve, 5000)),
        ]);
        cleanUp();
      },
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** A WebDriver BiDi connection: numbered commands, answers matched by id. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach ${url}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      type: string;
      result?: unknown;
      error?: string;
      message?: string;
    };
    if (message.id === undefined) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.type === 'error') pending?.reject(new Error(`${message.error}: ${message.message}`));
    else pending?.resolve(message.result);
  });
  return {
    send(method: string, params: object): Promise<unknown> {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
