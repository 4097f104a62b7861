/**
 * A local identity provider for tests: a JWKS endpoint on 127.0.0.1 that publishes and retires
 * RSA keys, counts fetches, and can fail the ways real IdPs do (connection reset, a hang past
 * the client's timeout, a 500, a body that is not a key set). Plus token signers: jose for
 * well-formed tokens, and a raw signer for the malformed ones attacks are made of.
 */
import { createHmac, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';

export interface RsaTestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
  /** The SPKI PEM text, as an attacker would find it published. */
  publicPem: string;
}

export function rsaKey(kid: string = randomUUID()): RsaTestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

export type JwksMode = 'up' | 'reset' | 'hang' | 'error500' | 'garbage';

export interface JwksServer {
  /** The JWKS URL (http://127.0.0.1:<port>/keys). */
  readonly url: string;
  /** Requests received for the key set, in any mode. */
  readonly fetches: number;
  mode: JwksMode;
  publish(key: RsaTestKey): void;
  retire(kid: string): void;
  kids(): string[];
  resetCount(): void;
  close(): Promise<void>;
}

export async function startJwksServer(initial: readonly RsaTestKey[] = []): Promise<JwksServer> {
  const keys = new Map(initial.map((key) => [key.kid, key]));
  let fetches = 0;
  let mode: JwksMode = 'up';
  const hanging = new Set<ServerResponse>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== '/keys') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    switch (mode) {
      case 'reset':
        request.socket.destroy();
        return;
      case 'hang':
        hanging.add(response);
        return;
      case 'error500':
        response.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": "nope"}');
        return;
      default:
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: [...keys.values()].map((key) => key.publicJwk) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/keys`,
    get fetches() {
      return fetches;
    },
    get mode() {
      return mode;
    },
    set mode(next: JwksMode) {
      mode = next;
      if (next !== 'hang') {
        for (const response of hanging) response.destroy();
        hanging.clear();
      }
    },
    publish: (key) => void keys.set(key.kid, key),
    retire: (kid) => void keys.delete(kid),
    kids: () => [...keys.keys()],
    resetCount: () => {
      fetches = 0;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------- signers

export const b64url = (value: string | Buffer | object): string =>
  (typeof value === 'string' || Buffer.isBuffer(value) ? Buffer.from(value) : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A well-formed RS256 token from `key`, via jose. Header fields may be added (or kid overridden). */
export function signRs256(key: RsaTestKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', kid: key.kid, ...header, alg: 'RS256' }).sign(key.privateKey);
}

export type RawSigner =
  | { rsa: KeyObject }
  | { hmac: KeyObject | Buffer | string }
  /** Use this exact signature segment (e.g. '' to strip it). */
  | { signature: string };

/**
 * A compact JWS with any header and payload whatsoever (`alg: none`, a string `exp`, `crit`, ...).
 * The signing algorithm follows the signer, not the header, which is the point of most attacks.
 */
export function signRaw(header: Record<string, unknown>, payload: Record<string, unknown> | string, signer: RawSigner): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  let signature: string;
  if ('signature' in signer) signature = signer.signature;
  else if ('rsa' in signer) signature = createSign('RSA-SHA256').update(input).sign(signer.rsa).toString('base64url');
  else signature = createHmac('sha256', signer.hmac).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** Seconds since the epoch, as JWT claims count time. */
export const epoch = (ms: number = Date.now()): number => Math.floor(ms / 1000);
