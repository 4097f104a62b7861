import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { functions } from '../../app/functions.ts';
import { handlerReference } from '../../app/load-handler.ts';
import { serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { toYaml } from '../../adapters/aws/yaml.ts';
import { fixtureBlob, fixtureFunctions, fixtureQueue, fixtureTimer } from '../support/fixture-functions.ts';

type Config = { functions: Record<string, { handler: string; events: Record<string, Record<string, unknown>>[] }>; resources?: unknown };

describe('serverless.yml', () => {
  it('is exactly what the function table generates (run `npm run generate` after changing the table)', () => {
    const committed = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
    expect(committed.split('\n').slice(1).join('\n')).toBe(toYaml(serverlessConfig(functions)));
  });

  it('declares every HTTP function with its method and /api path, pointing at its built module', () => {
    const config = serverlessConfig(functions) as Config;
    expect(Object.keys(config.functions).sort()).toEqual(functions.filter((def) => !def.localOnly).map((def) => def.name).sort());
    for (const def of functions) {
      if (def.trigger.kind !== 'http' || def.localOnly) continue;
      expect(config.functions[def.name]).toEqual({
        handler: `dist/${handlerReference(def.handler!).module}.${handlerReference(def.handler!).exportName}`,
        events: [{ httpApi: { method: def.trigger.method, path: `/api/${def.trigger.route}` } }],
      });
    }
  });

  it('maps queue, timer and blob triggers to SQS, EventBridge and S3 events', () => {
    const everyFiveMinutes = { ...fixtureTimer, trigger: { kind: 'timer' as const, schedule: '0 */5 * * * *' } };
    const config = serverlessConfig([fixtureQueue, everyFiveMinutes, fixtureBlob]) as Config;
    expect(config.functions['fixture-queue']!.events[0]!.sqs).toMatchObject({ functionResponseType: 'ReportBatchItemFailures', arn: { 'Fn::GetAtt': ['FixtureJobsQueue', 'Arn'] } });
    expect(config.functions['fixture-timer']!.events[0]!.schedule).toEqual({ rate: ['rate(5 minutes)'] });
    expect(config.functions['fixture-blob']!.events[0]!.s3).toMatchObject({ bucket: 'uploads', event: 's3:ObjectCreated:*' });
    expect(config.resources).toEqual({ Resources: { FixtureJobsQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'fixture-jobs' } } } });
  });
});

it('refuses a schedule AWS cannot run rather than approximating it', () => {
  expect(() => serverlessConfig(fixtureFunctions)).toThrow(/minute precision/);
});

describe('the YAML writer', () => {
  it('quotes what YAML would misread and nests lists of maps', () => {
    expect(toYaml({ a: 'yes', b: '3', c: 'plain text', d: [{ e: 1, f: ['x'] }], g: '${env:X}', h: true })).toBe(
      'a: "yes"\nb: "3"\nc: plain text\nd:\n  - e: 1\n    f:\n      - x\ng: "${env:X}"\nh: true\n',
    );
  });
});
