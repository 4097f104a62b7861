/** Schemas of the vault insights route (contract section 7.4). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { DEFAULT_TARGET_CPW, DEFAULT_WINDOW_DAYS } from '../../../domain/wardrobe/insights.ts';

/** Ten years of window at most; a target above zero (a cost per wear of 0 would never be met). */
export const vaultQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    windowDays: { type: 'integer', minimum: 1, maximum: 3650, default: DEFAULT_WINDOW_DAYS },
    targetCpw: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000_000, default: DEFAULT_TARGET_CPW },
  },
};

const number = { type: 'number' };
const nullableNumber = { type: ['number', 'null'] };
const trend = { enum: ['up', 'down', 'stable'] };

export const vaultInsightsResponse: JsonSchema = {
  type: 'object',
  required: ['generatedAt', 'currency', 'insufficientData', 'fxDate', 'conversionStatus', 'behavioralInsights', 'cpwIntel'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    currency: { type: 'string' },
    insufficientData: { type: 'boolean' },
    fxDate: { type: ['string', 'null'] },
    conversionStatus: { enum: ['not_needed', 'not_converted'] },
    behavioralInsights: {
      type: 'object',
      required: ['topColorWearShare', 'unworn90dPct', 'mostExpensiveUnworn', 'sparseHistory'],
      properties: {
        topColorWearShare: { type: ['object', 'null'], properties: { color: { type: 'string' }, pct: number } },
        unworn90dPct: nullableNumber,
        mostExpensiveUnworn: { type: ['object', 'null'], properties: { itemId: { type: 'string' }, amount: number, currency: { type: 'string' } } },
        sparseHistory: { type: 'boolean' },
      },
    },
    cpwIntel: {
      type: 'array',
      items: {
        type: 'object',
        required: ['itemId', 'cpw', 'badge', 'breakEvenReached', 'breakEvenTargetCpw', 'recentWearRate', 'historicalWearRate', 'wearRateTrend', 'wearRateDelta', 'forecast'],
        properties: {
          itemId: { type: 'string' },
          cpw: nullableNumber,
          badge: { enum: ['unworn', 'high', 'medium', 'low', 'unknown'] },
          breakEvenReached: { type: 'boolean' },
          breakEvenTargetCpw: number,
          recentWearRate: number,
          historicalWearRate: number,
          wearRateTrend: trend,
          wearRateDelta: number,
          forecast: {
            type: ['object', 'null'],
            properties: { targetCpw: number, projectedMonth: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, projectedWearsNeeded: { type: 'integer' }, recentWearRate: number, historicalWearRate: number, wearRateTrend: trend },
          },
        },
      },
    },
  },
};
