/**
 * The process's app: every service, on this process's environment, built on first use. The
 * runtime entries (Azure, the local host, Lambda, `npm run invoke`) share it.
 */
import type { Env } from '../kernel/env.ts';
import { once } from '../kernel/once.ts';
import { createApp, type PorticoApp } from './app.ts';
import { services } from './services.ts';

export const portico = once((): PorticoApp => createApp({ services, env: process.env }));

/** The local host's app (`npm start`): the one place development-only settings (LOCAL_DEV_AUTH) are allowed. */
export const localPortico = once((): PorticoApp => createApp({ services, env: process.env, localHost: true }));

/**
 * Reads and validates every setting on `env` (the platform's, every service's, every job family's
 * and limit's), connecting to nothing: a host calls it first, so a bad value stops start-up with
 * its ConfigError before anything is started.
 */
export function checkSettings(env: Env, host: { localHost?: boolean } = {}): void {
  createApp({ services, env, ...host }).validate();
}

export { createApp, functionTable, type PorticoApp } from './app.ts';
