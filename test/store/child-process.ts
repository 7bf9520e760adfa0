import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where a child resolves `tsx` and the sources. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A URL a child's `import` can load, for a path under the repository root. */
export const sourceUrl = (path: string): string => new URL(path, new URL('../../', import.meta.url)).href;

/** Starts `node --import tsx` on an ES module given as text; its stdout and stderr are collected. */
export function startNode(code: string): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>(resolve =>
    child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** Resolves when the child has printed `text`; rejects if it exits first. */
export function waitForOutput(started: ReturnType<typeof startNode>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (started.output().includes(text)) resolve();
    };
    started.child.stdout?.on('data', check);
    started.child.on('exit', () => reject(new Error(`child exited before printing ${text}: ${started.output()}`)));
    check();
  });
}
