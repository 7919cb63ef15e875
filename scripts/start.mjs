// `npm start`: build the console and the server if needed, then run the server in this process.
import { pathToFileURL } from 'node:url';
import { ensureConsoleBuilt } from './console-build.mjs';
import { ensureServerBuilt, serverBundle } from './server-build.mjs';

ensureConsoleBuilt();
await ensureServerBuilt();
// Stack traces in logs name the TypeScript sources.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(serverBundle).href);
