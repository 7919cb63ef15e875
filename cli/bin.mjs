#!/usr/bin/env node
// `npx qiao`: the CLI is TypeScript, so register tsx's loader before importing it.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('./main.ts');
await runFromProcess();
