import { homedir, hostname } from 'node:os';

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

/** Keystrokes typed ahead of the next prompt (a pasted "name⏎password⏎" answers both). */
let typedAhead = '';

/**
 * Reads one line from the terminal in raw mode, echoing it unless `hidden`
 * (passwords). Ctrl-C cancels as it would anywhere else.
 */
function promptLine(question: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  const out = process.stderr;
  out.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = stdin.isRaw;
    const finish = (rest: string) => {
      typedAhead = rest;
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
    };
    const consume = (chunk: string): boolean => {
      const chars = [...chunk];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i] ?? '';
        if (char === '\r' || char === '\n' || char === '\u0004') {
          const next = chars[i + 1] === '\n' && char === '\r' ? i + 2 : i + 1;
          finish(chars.slice(next).join(''));
          resolve(answer);
          return true;
        }
        if (char === '\u0003') {
          finish('');
          reject(new Error('cancelled'));
          return true;
        }
        if (char === '\u007f' || char === '\b') {
          if (answer.length > 0 && !hidden) out.write('\b \b');
          answer = [...answer].slice(0, -1).join('');
        } else if (char >= ' ') {
          answer += char;
          if (!hidden) out.write(char);
        }
      }
      return false;
    };
    const onData = (chunk: string) => void consume(chunk);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const pending = typedAhead;
    typedAhead = '';
    if (consume(pending)) return;
    stdin.on('data', onData);
    stdin.resume();
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
    prompt: (question, options) => promptLine(question, options?.hidden ?? false),
    readStdin: readAll,
    fetch: globalThis.fetch,
    homeDir: homedir(),
    hostname: hostname(),
  };
}
