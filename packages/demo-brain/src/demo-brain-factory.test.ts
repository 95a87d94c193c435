import { ConfigError, ProviderRegistry } from '@voxduplex/core';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DemoBrain } from './demo-brain';
import { demoBrainFactory } from './demo-brain-factory';

describe('demoBrainFactory', () => {
  const registry = new ProviderRegistry().register('llm', 'demo', demoBrainFactory);

  it('builds a working demo brain from plain options', async () => {
    const llm = registry.create('llm', { provider: 'demo', timeToFirstTokenMs: 0, tokensPerSecond: 1000 });
    expect(llm).toBeInstanceOf(DemoBrain);
    const events = await lastValueFrom(
      llm.generate({ messages: [{ role: 'user', content: 'hi' }] }).pipe(toArray()),
    );
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('lists every invalid option in one ConfigError', () => {
    let error: unknown;
    try {
      registry.create('llm', { provider: 'demo', tokensPerSecond: -5, model: 'gpt-4o' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join('\n')).toMatch(
      /tokensPerSecond[\s\S]*model|model[\s\S]*tokensPerSecond/,
    );
  });
});
