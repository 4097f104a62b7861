/** Every service of the function app, by its manifest. Adding a service is one line here. */
import type { ServiceManifest } from '../kernel/services.ts';
import diagnostics from '../handlers/diagnostics/index.ts';
import discovery from '../handlers/discovery/index.ts';
import garage from '../handlers/garage/index.ts';
import identity from '../handlers/identity/index.ts';
import operations from '../handlers/operations/index.ts';
import system from '../handlers/system/index.ts';
import wardrobe from '../handlers/wardrobe/index.ts';
import capabilities from '../handlers/capabilities/index.ts';
import voice from '../handlers/voice/index.ts';

export const services: readonly ServiceManifest<unknown>[] = [system, diagnostics, identity, operations, wardrobe, discovery, garage, capabilities, voice];
