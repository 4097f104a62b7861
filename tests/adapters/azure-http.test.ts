/** Every HTTP mapping rule of docs/architecture.md section 3, with real @azure/functions objects. */
import { describe, expect, it, jest } from '@jest/globals';
import azf from '@azure/functions';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { defineFunction, type HttpLambda } from '../../kernel/functions.ts';
import { azureHttpHandler, clientAddress, toHttpEvent, toHttpResponse } from '../../adapters/azure/http.ts';
import { HTTP_LOAD_BALANCER_LIMIT_MS } from '../../adapters/azure/host-settings.ts';
import type { PorticoContext } from '../../middleware/context.ts';

const def = defineFunction({
  name: 'files-get',
  trigger: { kind: 'http', method: 'POST', route: 'files/{name}', auth: 'public', summary: 'test', responses: {} },
  load: async () => ({ handler: (async () => ({ statusCode: 204 })) as HttpLambda }),
});

function invocation() {
  return new azf.InvocationContext({ invocationId: 'inv-1', functionName: def.name });
}

function request(init: Partial<ConstructorParameters<typeof azf.HttpRequest>[0]> = {}) {
  return new azf.HttpRequest({ method: 'POST', url: 'https://portico.example.com/api/files/a', ...init });
}

/** Runs a request through the adapter with a handler that records what it was given. */
async function roundTrip(req: InstanceType<typeof azf.HttpRequest>, result: APIGatewayProxyResultV2 = { statusCode: 200 }) {
  let seen: { event: APIGatewayProxyEventV2; context: Context } | undefined;
  const handler: HttpLambda = async (event, context) => {
    seen = { event, context };
    return result as never;
  };
  const response = await azureHttpHandler(def, async () => handler)(req, invocation());
  return { event: seen!.event, context: seen!.context as PorticoContext, response };
}

describe('Azure HTTP trigger -> API Gateway v2 event', () => {
  it('lower-cases header names and keeps values, joining repeats with ", "', async () => {
    const { event } = await toHttpEvent(
      request({ headers: { 'X-Custom-Header': 'One', Accept: 'a/b' } }),
      def.trigger,
      invocation(),
    ).then((event) => ({ event }));
    expect(event.headers['x-custom-header']).toBe('One');
    expect(event.headers.accept).toBe('a/b');
    const repeated = new Headers();
    repeated.append('X-Multi', 'a');
    repeated.append('x-multi', 'b');
    const fromRepeated = await toHttpEvent(
      request({ headers: Object.fromEntries(repeated) }),
      def.trigger,
      invocation(),
    );
    expect(fromRepeated.headers['x-multi']).toBe('a, b');
  });

  it('moves cookies to event.cookies, keeping values that contain "="', async () => {
    const event = await toHttpEvent(request({ headers: { cookie: 'session=abc=def==; theme=dark' } }), def.trigger, invocation());
    expect(event.cookies).toEqual(['session=abc=def==', 'theme=dark']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('keeps rawQueryString and joins repeated keys with "," as API Gateway does', async () => {
    const event = await toHttpEvent(request({ url: 'https://h/api/files/a?tag=a&tag=b&q=x%20y&empty=' }), def.trigger, invocation());
    expect(event.rawQueryString).toBe('tag=a&tag=b&q=x%20y&empty=');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', q: 'x y', empty: '' });
  });

  it('has no queryStringParameters when there is no query', async () => {
    const event = await toHttpEvent(request(), def.trigger, invocation());
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('takes pathParameters from the route and preserves percent-encoding in rawPath', async () => {
    const event = await toHttpEvent(
      request({ url: 'https://h/api/files/a%2Fb%20c%25', params: { name: 'a/b c%' } }),
      def.trigger,
      invocation(),
    );
    expect(event.rawPath).toBe('/api/files/a%2Fb%20c%25');
    expect(event.requestContext.http.path).toBe('/api/files/a%2Fb%20c%25');
    expect(event.pathParameters).toEqual({ name: 'a/b c%' });
    expect(event.routeKey).toBe('POST /api/files/{name}');
  });

  it('delivers binary bodies as base64 with isBase64Encoded', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
    const event = await toHttpEvent(request({ headers: { 'content-type': 'image/png' }, body: { bytes } }), def.trigger, invocation());
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(bytes)).toBe(true);
  });

  it('delivers text bodies as text, and invalid UTF-8 "text" as base64', async () => {
    const text = await toHttpEvent(request({ headers: { 'content-type': 'application/json' }, body: { string: '{"a":"é"}' } }), def.trigger, invocation());
    expect(text).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const broken = await toHttpEvent(
      request({ headers: { 'content-type': 'application/json' }, body: { bytes: Buffer.from([0x7b, 0xff, 0x7d]) } }),
      def.trigger,
      invocation(),
    );
    expect(broken.isBase64Encoded).toBe(true);
    expect(Buffer.from(broken.body!, 'base64')).toEqual(Buffer.from([0x7b, 0xff, 0x7d]));
  });

  it('gives an empty body as no body', async () => {
    const event = await toHttpEvent(request(), def.trigger, invocation());
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('takes the client address from the right-most X-Forwarded-For entry, which the client cannot forge', () => {
    expect(clientAddress('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9:443')).toBe('203.0.113.9');
    expect(clientAddress('[2001:db8::1]:8080')).toBe('2001:db8::1');
    expect(clientAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(clientAddress(undefined)).toBe('');
  });

  it('fills requestContext from the request and the invocation', async () => {
    const event = await toHttpEvent(
      request({ url: 'https://portico.example.com/api/files/a', headers: { 'user-agent': 'ua/1', 'x-forwarded-for': '198.51.100.7, 203.0.113.9:51234' } }),
      def.trigger,
      invocation(),
    );
    expect(event.requestContext).toMatchObject({
      requestId: 'inv-1',
      domainName: 'portico.example.com',
      http: { method: 'POST', sourceIp: '203.0.113.9', userAgent: 'ua/1', path: '/api/files/a' },
      stage: '$default',
    });
    expect(event.version).toBe('2.0');
  });
});

describe('Lambda result -> Azure HttpResponse', () => {
  it('sends cookies as separate Set-Cookie cookies, values with "=" intact', async () => {
    const { response } = await roundTrip(request(), {
      statusCode: 200,
      cookies: ['session=abc=def==; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=60', 'theme=dark'],
    });
    expect(response.cookies).toEqual([
      { name: 'session', value: 'abc=def==', path: '/', httpOnly: true, secure: true, sameSite: 'Lax', maxAge: 60 },
      { name: 'theme', value: 'dark' },
    ]);
  });

  it('returns base64 bodies as bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { response } = await roundTrip(request(), { statusCode: 200, isBase64Encoded: true, body: bytes.toString('base64'), headers: { 'content-type': 'application/octet-stream' } });
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('keeps status and headers, and sends no body when there is none', async () => {
    const { response } = await roundTrip(request(), { statusCode: 204, headers: { 'X-Thing': 1 } });
    expect(response.status).toBe(204);
    expect(response.headers.get('x-thing')).toBe('1');
    expect(response.body).toBeNull();
  });

  it('treats an unstructured result as a 200 JSON body, as Lambda does', () => {
    expect(toHttpResponse({ hello: 'world' } as never)).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
  });
});

describe('the Lambda context built from an invocation', () => {
  it('carries the invocation id and a deadline capped at the 230 s load-balancer limit', async () => {
    // A clock that stands still, so the countdown is exact however slow the machine is.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-05T12:00:00Z'));
    try {
      const { context } = await roundTrip(request());
      expect(context.awsRequestId).toBe('inv-1');
      expect(context.functionName).toBe('files-get');
      expect(context.getRemainingTimeInMillis()).toBe(HTTP_LOAD_BALANCER_LIMIT_MS);
      clock.mockReturnValue(Date.parse('2026-12-05T12:00:00Z') + 1_000);
      expect(context.getRemainingTimeInMillis()).toBe(HTTP_LOAD_BALANCER_LIMIT_MS - 1_000);
    } finally {
      clock.mockRestore();
    }
  });

  it('keeps the raw platform input reachable', async () => {
    const req = request();
    const { context } = await roundTrip(req);
    expect(context.platform?.runtime).toBe('azure');
    expect((context.platform?.raw as { request: unknown }).request).toBe(req);
  });
});
