import { describe, expect, it } from 'vitest';
import { SendLead } from './send-lead';

describe('SendLead', () => {
  it('lets a new stream send its replay and the lead at once, then no faster than the service shows progress or real time passes', () => {
    let now = 0;
    const lead = new SendLead(5000, () => now);
    lead.streamStarted(8000);
    expect(lead.waitMs(13_000)).toBe(0);
    expect(lead.waitMs(13_500)).toBe(500);
    now = 10_000;
    expect(lead.waitMs(15_000)).toBe(0);
    expect(lead.waitMs(16_000)).toBe(1000);
    now = 0;
    lead.processed(9000);
    expect(lead.waitMs(14_000)).toBe(0);
    expect(lead.waitMs(14_500)).toBe(500);
  });

  it('never waits with an infinite lead', () => {
    const lead = new SendLead(Number.POSITIVE_INFINITY, () => 0);
    lead.streamStarted(0);
    expect(lead.waitMs(1e9)).toBe(0);
  });
});
