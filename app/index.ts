/**
 * The process's app: every service, on this process's environment, built on first use. The
 * runtime entries (Azure, the local host, Lambda, `npm run invoke`) share it.
 */
import { once } from '../kernel/once.ts';
import { createApp, type PorticoApp } from './app.ts';
import { services } from './services.ts';

export const portico = once((): PorticoApp => createApp({ services, env: process.env }));

export { createApp, functionTable, type PorticoApp } from './app.ts';
