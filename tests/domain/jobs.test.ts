import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { backoffSeconds, decideDelivery, parseEnvelope, slotClaimId, type JobRecord } from '../../domain/jobs.ts';

const policy = { maxAttempts: 5, baseBackoffSeconds: 2, maxBackoffSeconds: 60, jitterSeconds: 1 };

describe('backoff with full jitter', () => {
  it('doubles the ceiling per attempt up to the maximum, plus jitter', () => {
    const top = () => 0.999999;
    expect(backoffSeconds(1, policy, top)).toBeCloseTo(2 + 1, 3);
    expect(backoffSeconds(3, policy, top)).toBeCloseTo(8 + 1, 3);
    expect(backoffSeconds(10, policy, top)).toBeCloseTo(60 + 1, 3);
    expect(backoffSeconds(4, policy, () => 0)).toBe(0);
  });

  it('always stays within [0, min(max, base*2^(n-1)) + jitter]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const delay = backoffSeconds(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(60, 2 * 2 ** (attempt - 1)) + 1);
      }),
    );
  });
});

describe('what to do with a delivery', () => {
  const envelope = { type: 't', jobId: 'j', attempt: 2, enqueuedAt: 'now', payload: {} };
  const record = (over: Partial<JobRecord>): JobRecord => ({ id: 'j', type: 't', status: 'queued', attempt: 2, createdAt: '', updatedAt: '', ...over });
  const now = 1_000_000;

  it('runs a new job, a queued one, a retry and one whose lease ran out', () => {
    expect(decideDelivery(undefined, envelope, now)).toEqual({ action: 'run' });
    expect(decideDelivery(record({ status: 'retrying' }), envelope, now)).toEqual({ action: 'run' });
    expect(decideDelivery(record({ status: 'running', leaseUntil: now - 1 }), envelope, now)).toEqual({ action: 'run' });
  });
  it('skips a finished job and a superseded attempt', () => {
    expect(decideDelivery(record({ status: 'completed' }), envelope, now)).toEqual({ action: 'skip', reason: 'already-finished' });
    expect(decideDelivery(record({ status: 'dead-lettered' }), envelope, now)).toEqual({ action: 'skip', reason: 'already-finished' });
    expect(decideDelivery(record({ status: 'retrying', attempt: 3 }), envelope, now)).toEqual({ action: 'skip', reason: 'superseded' });
  });
  it('defers while another worker holds the lease, until it runs out', () => {
    expect(decideDelivery(record({ status: 'running', leaseUntil: now + 2500 }), envelope, now)).toEqual({ action: 'defer', seconds: 3 });
  });
});

describe('envelopes', () => {
  it('accepts a complete envelope with a payload or a payload reference', () => {
    expect(parseEnvelope('{"type":"a.b","jobId":"j-1","attempt":1,"enqueuedAt":"t","payload":null}').ok).toBe(true);
    expect(parseEnvelope('{"type":"a.b","jobId":"j-1","attempt":2,"enqueuedAt":"t","payloadRef":{"container":"c","name":"n"}}').ok).toBe(true);
  });
  it.each([
    ['not json', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"jobId":"j","attempt":1,"enqueuedAt":"t","payload":1}', 'no type'],
    ['{"type":"a","jobId":"bad id/","attempt":1,"enqueuedAt":"t","payload":1}', 'no valid jobId'],
    ['{"type":"a","jobId":"j","attempt":0,"enqueuedAt":"t","payload":1}', 'no valid attempt'],
    ['{"type":"a","jobId":"j","attempt":1,"enqueuedAt":"t"}', 'no payload'],
  ])('refuses %s, saying why', (text, reason) => {
    const result = parseEnvelope(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
  it('names slot claims by job and slot', () => {
    expect(slotClaimId('digest', '2026-11-22T10:05:00Z')).toBe('run:digest:20261122T100500Z');
  });
});
