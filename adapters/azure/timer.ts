/** Azure timer trigger -> EventBridge ScheduledEvent; `isPastDue` travels in `detail`. */
import type { InvocationContext, Timer } from '@azure/functions';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import { lambdaContext } from './context.ts';
import { hostSettings } from './host-settings.ts';

export interface TimerDetail {
  isPastDue: boolean;
  schedule: string;
  last?: string;
  next?: string;
}

export function toScheduledEvent(timer: Timer, def: FunctionDef<TimerTrigger>, invocation: InvocationContext, now = new Date()): ScheduledEvent<TimerDetail> {
  return {
    version: '0',
    id: invocation.invocationId,
    'detail-type': 'Scheduled Event',
    source: 'portico.timer',
    account: '',
    time: now.toISOString(),
    region: process.env.REGION_NAME ?? 'local',
    resources: [`timer:${def.name}`],
    detail: {
      isPastDue: Boolean(timer?.isPastDue),
      schedule: def.trigger.schedule,
      ...(timer?.scheduleStatus?.last ? { last: timer.scheduleStatus.last } : {}),
      ...(timer?.scheduleStatus?.next ? { next: timer.scheduleStatus.next } : {}),
    },
  };
}

export function azureTimerHandler(def: FunctionDef<TimerTrigger>, handler: () => Promise<TimerLambda>) {
  const settings = hostSettings();
  return async (timer: Timer, invocation: InvocationContext): Promise<void> => {
    const context = lambdaContext(invocation, settings.functionTimeoutMs, { timer, invocation });
    await (await handler())(toScheduledEvent(timer, def, invocation), context);
  };
}
