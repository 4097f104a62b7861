/**
 * Synthesis through the voice service's queue against calling the offline provider directly, in
 * the same run, on memory ports (the documents, the queue and the blobs in this process):
 *   (a) direct: OfflineVoiceProvider.synthesize, one text after another
 *   (b) the service: POST /api/synthesis through the bound handler (the standard stack, a real
 *       token), then the job worker pulling each message off the memory queue (the SQS event
 *       shape every runtime hands it), the job storing the audio, until every synthesis succeeded
 * Both speak the same texts with the same voice (eSpeak-NG in WebAssembly; wav, so no ffmpeg).
 * The figures are medians per synthesis over rounds; (b) is printed as a ratio against (a).
 */
import './env.ts';
import type { Context, SQSEvent } from 'aws-lambda';
import { fileURLToPath } from 'node:url';
import { MemoryBlobStore } from '../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../adapters/memory/documents.ts';
import { MemoryMessageQueue } from '../adapters/memory/message-queue.ts';
import { createAudioProcessor } from '../adapters/voice/audio.ts';
import { OfflineVoiceProvider } from '../adapters/voice/offline.ts';
import { createApp } from '../app/app.ts';
import { lambdaContext } from '../adapters/aws/lambda-events.ts';
import type { ReceivedMessage } from '../domain/ports.ts';
import voice from '../handlers/voice/index.ts';
import { voicesContainer, type VoiceDoc } from '../handlers/voice/store.ts';
import type { HttpLambda, QueueLambda } from '../kernel/functions.ts';

const N = 8;
const ROUNDS = 3;
const TEXTS = Array.from({ length: N }, (_, index) => `This is benchmark sentence number ${index + 1}, spoken by the offline voice.`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function sqsEvent(queue: string, message: ReceivedMessage): SQSEvent {
  const sent = String(message.insertedAt.getTime());
  return {
    Records: [{
      messageId: message.id, receiptHandle: message.receipt, body: message.text, messageAttributes: {}, md5OfBody: '', awsRegion: 'local',
      attributes: { ApproximateReceiveCount: String(message.dequeueCount), SentTimestamp: sent, SenderId: 'bench', ApproximateFirstReceiveTimestamp: sent },
      eventSource: 'azure:storagequeue', eventSourceARN: `azure:storagequeue:${queue}`,
    }],
  };
}

export async function runVoice(): Promise<void> {
  const audio = createAudioProcessor();
  const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
  const queue = new MemoryMessageQueue();
  const documents = new MemoryDocumentStore();
  const app = createApp({
    services: [voice],
    env: { ...process.env, JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256!', RATE_LIMITING_ENABLED: 'false' },
    ports: { documents, queue, blobs: new MemoryBlobStore(), dependencyChecks: {}, voiceProvider: () => provider },
  });
  const { providerVoiceId } = await provider.createVoice({ displayName: 'bench', samples: [{ bytes: Uint8Array.of(1, 2, 3), contentType: 'audio/wav' }], consent: { statement: 'bench', acceptedAt: new Date().toISOString() } });
  const now = new Date().toISOString();
  await documents.repository<VoiceDoc>(voicesContainer).create({
    id: 'bench-voice', owner: 'bench-user', displayName: 'bench', status: 'ready', sampleIds: [], provider: 'offline', providerVoiceId,
    consent: { statement: 'bench', acceptedAt: now }, createdAt: now, updatedAt: now,
  });
  const token = (await app.ports.auth.tokens.issueAccessToken({ userId: 'bench-user', roles: ['Voice.Synthesize'] })).accessToken;
  const route = app.find('voice-synthesis')!;
  const post = (await app.bind(route)) as HttpLambda;
  const worker = (await app.bind(app.find('jobs-voice-synthesis-short')!)) as QueueLambda;
  const context = (): Context => lambdaContext(route, 60_000, undefined);

  const direct = async () => {
    for (const text of TEXTS) await provider.synthesize({ providerVoiceId, text, format: 'wav' });
  };
  const service = async () => {
    for (const text of TEXTS) {
      const body = JSON.stringify({ voice_id: 'bench-voice', text, format: 'wav' });
      const reply = await post({
        version: '2.0', routeKey: 'POST /api/synthesis', rawPath: '/api/synthesis', rawQueryString: '', isBase64Encoded: false, body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requestContext: { http: { method: 'POST', path: '/api/synthesis', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench', routeKey: 'POST /api/synthesis', stage: '$default', time: '', timeEpoch: Date.now(), accountId: '', apiId: '', domainName: '', domainPrefix: '' },
      } as never, context());
      if (reply.statusCode !== 202) throw new Error(`POST /api/synthesis answered ${reply.statusCode}: ${reply.body}`);
    }
    let done = 0;
    while (done < N) {
      const messages = await queue.receive('voice-synthesis-short', { max: 1, visibilitySeconds: 60 });
      if (messages.length === 0) throw new Error(`the queue ran dry after ${done} of ${N} syntheses`);
      const result = await worker(sqsEvent('voice-synthesis-short', messages[0]!), context());
      if (result && result.batchItemFailures.length > 0) throw new Error('a synthesis job failed');
      await queue.delete('voice-synthesis-short', messages[0]!);
      done++;
    }
  };

  await direct();
  await service();
  const perSynthesis = { direct: [] as number[], service: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of (round % 2 ? [['service', service], ['direct', direct]] : [['direct', direct], ['service', service]]) as [keyof typeof perSynthesis, () => Promise<void>][]) {
      const started = performance.now();
      await run();
      perSynthesis[name].push((performance.now() - started) / N);
    }
  }
  const a = median(perSynthesis.direct);
  const b = median(perSynthesis.service);
  console.log(`voice synthesis, ${N} texts x ${ROUNDS} rounds (offline eSpeak-NG, wav, memory ports)`);
  console.log(`  (a) provider directly:          ${a.toFixed(1)} ms per synthesis`);
  console.log(`  (b) POST + queue + job + blob:  ${b.toFixed(1)} ms per synthesis`);
  console.log(`voice: through the queue / direct = ${(b / a).toFixed(2)}x`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runVoice();
