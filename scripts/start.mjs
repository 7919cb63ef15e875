// `npm start`: build the console if needed, then run the server in this process.
import { register } from 'tsx/esm/api';
import { ensureConsoleBuilt } from './console-build.mjs';

ensureConsoleBuilt();
register();
await import('../server/main.ts');
