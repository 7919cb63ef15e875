import { homedir, hostname } from 'node:os';
import { createInterface } from 'node:readline';

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** True when a person sits at a terminal and can answer prompts. */
  isInteractive: boolean;
  prompt(question: string, options?: { hidden?: boolean }): Promise<string>;
  readStdin(): Promise<string>;
  fetch: typeof fetch;
  homeDir: string;
  hostname: string;
}

function promptVisible(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads a line without echoing it (passwords); Ctrl-C aborts like it would anywhere else. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = () => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
        else if (char >= ' ') answer += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    isInteractive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    prompt: (question, options) => (options?.hidden ? promptHidden(question) : promptVisible(question)),
    readStdin: readAll,
    fetch: globalThis.fetch,
    homeDir: homedir(),
    hostname: hostname(),
  };
}
