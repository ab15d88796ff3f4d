// Starts a bench server fixture (bench/fixtures/*.ts) in its own process and resolves with the port
// it prints as its first JSON line; rejects with its stderr if it exits first.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../test/stack/harness.js';

export function startFixtureServer(
  file: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/fixtures', file), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited ${code}: ${err.slice(-1500)}`)));
  });
}
