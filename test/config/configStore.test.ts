// The config store fails closed: a file someone edited by hand into something that is not a valid
// config stops the start with one line naming the file and each bad field. It used to be thrown
// away whole with a warning, so protect_reads went off, and the next save rewrote the file with the
// patch alone, losing the saved settings.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/config/configStore.js';
import { StartupError } from '../../src/util/startupError.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wal-config-'));
  dirs.push(dir);
  const path = join(dir, 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('ConfigStore fails closed', () => {
  it.each([
    [
      'one unknown field',
      '{"protect_reads": true, "max_reports": 10, "sampling_ration": 0.5}',
      /sampling_ration/,
    ],
    ['truncated JSON', '{"protect_reads": true, "max_rep', /not valid JSON/],
    ['an empty file', '', /it is empty/],
    ['a wrong type', '{"protect_reads": "yes", "max_reports": 10}', /protect_reads/],
  ])('%s stops the start, naming the file, and the file is kept as it was', (_, text, message) => {
    const path = fileWith(text);
    let error: unknown;
    try {
      new ConfigStore(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StartupError);
    expect(String((error as Error).message)).toMatch(message);
    expect(String((error as Error).message)).toContain(path);
    expect(String((error as Error).message)).not.toContain('\n');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('a variable that does not validate stops the start too, naming the variable', () => {
    expect(() => new ConfigStore(fileWith('{}'), { protect_reads: 'yes' })).toThrow(
      /WAL_TELEMETRY_PROTECT_READS/,
    );
  });

  it('a valid file loads, and a save keeps the fields it held', async () => {
    const path = fileWith('{"max_reports": 10}');
    const store = new ConfigStore(path);
    expect(store.get().max_reports).toBe(10);
    await store.update({ sampling_ratio: 0.5 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ max_reports: 10, sampling_ratio: 0.5 });
  });
});
