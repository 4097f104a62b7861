// Loads the BUILT Azure entry point under plain Node (no Jest, real ESM/CJS interop) and prints
// what it registered. Run with NODE_PATH pointing at a folder holding @azure/functions-core.
import { createRequire } from 'node:module';

await import('../../dist/adapters/azure/main.js');
let registrations = [];
try {
  registrations = createRequire(import.meta.url)('@azure/functions-core').registrations;
} catch {
  // No core module: @azure/functions ran in test mode and registered nothing.
}
console.log(JSON.stringify({ registered: registrations.map((item) => item.metadata.name) }));
