/**
 * Model calls' metrics: calls by outcome, latency, and tokens in and out per task, as the model
 * reported them (the offline model reports usage.ts's estimates); a failed call adds no tokens.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { createLanguageModel } from '../../adapters/ai/language-model.ts';
import { metricsObserver } from '../../adapters/ai/observed-model.ts';
import { estimateUsage } from '../../adapters/ai/usage.ts';
import { METRIC } from '../../domain/metrics.ts';
import type { ChatMessage } from '../../domain/ai.ts';

const schema = { name: 'pick', schema: { type: 'object', properties: { pick: { type: 'string' } }, required: ['pick'], additionalProperties: false } };
const messages: ChatMessage[] = [{ role: 'system', content: 'You pick an outfit.' }, { role: 'user', content: 'Something for a rainy Tuesday, please.' }];

describe('model metrics', () => {
  it('records tokens in and out per task and type, calls by outcome, and one latency per call', async () => {
    const metrics = new MemoryMetrics();
    const model = createLanguageModel({ provider: 'offline' }, [metricsObserver(metrics)]);
    const answer = { pick: 'the navy raincoat' };
    await model.structured({ task: 'wardrobe.pick', messages, schema, offline: () => answer });
    await model.structured({ task: 'wardrobe.pick', messages, schema, offline: () => answer });
    const text = 'Wear the navy raincoat and boots.';
    for await (const _chunk of model.stream({ task: 'wardrobe.chat', messages, offline: () => text })) {
      // read to the end
    }
    await expect(model.structured({ task: 'wardrobe.pick', messages, schema, offline: () => ({ wrong: true }) })).rejects.toMatchObject({ reason: 'invalid_output' });

    const picked = estimateUsage(messages, JSON.stringify(answer));
    const chatted = estimateUsage(messages, text);
    const snapshot = await metrics.snapshot();
    const points = (name: string) => snapshot.counters.find((view) => view.name === name)?.points;
    expect(points(METRIC.aiTokens)).toEqual([
      { attributes: { task: 'wardrobe.pick', provider: 'offline', type: 'input' }, value: 2 * picked.inputTokens },
      { attributes: { task: 'wardrobe.pick', provider: 'offline', type: 'output' }, value: 2 * picked.outputTokens },
      { attributes: { task: 'wardrobe.chat', provider: 'offline', type: 'input' }, value: chatted.inputTokens },
      { attributes: { task: 'wardrobe.chat', provider: 'offline', type: 'output' }, value: chatted.outputTokens },
    ]);
    expect(picked.inputTokens).toBeGreaterThan(0);
    expect(picked.outputTokens).toBeGreaterThan(0);
    expect(points(METRIC.aiCalls)).toEqual([
      { attributes: { task: 'wardrobe.pick', provider: 'offline', outcome: 'ok' }, value: 2 },
      { attributes: { task: 'wardrobe.chat', provider: 'offline', outcome: 'ok' }, value: 1 },
      { attributes: { task: 'wardrobe.pick', provider: 'offline', outcome: 'invalid_output' }, value: 1 },
    ]);
    const latency = snapshot.histograms.find((view) => view.name === METRIC.aiDuration)?.points;
    expect(latency?.map((point) => [point.attributes.task, point.count])).toEqual([['wardrobe.pick', 3], ['wardrobe.chat', 1]]);
  });
});
