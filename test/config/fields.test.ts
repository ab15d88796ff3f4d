// The config's fields are one table (src/config/fields.ts): the README's table is its rows, the
// defaults and string kinds come from it, and the live appliers' type requires one per live field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_FIELD_NAMES,
  DEFAULT_CONFIG,
  fieldEntry,
  type LiveField,
  readmeRow,
} from '../../src/config/fields.js';
import type { LiveAppliers } from '../../src/config/liveConfig.js';
import { validatePatch } from '../../src/config/schema.js';
import { valuesFromStrings } from '../../src/config/stringValues.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the config fields table', () => {
  it("is the README's table of fields, row for row and in order", () => {
    const header = '| field | type | default | applies |\n|---|---|---|---|\n';
    const start = README.indexOf(header);
    expect(start).toBeGreaterThan(-1);
    const rows = README.slice(start + header.length)
      .split('\n\n')[0]
      ?.split('\n');
    expect(rows).toEqual(CONFIG_FIELD_NAMES.map(readmeRow));
  });

  it('gives every field a default that passes its own check', () => {
    const result = validatePatch({ ...DEFAULT_CONFIG });
    expect(result).toMatchObject({ ok: true });
    for (const field of CONFIG_FIELD_NAMES) expect(DEFAULT_CONFIG[field]).toEqual(fieldEntry(field).default);
  });

  it('reads every field from a string by its kind', () => {
    expect(
      valuesFromStrings({
        enabled: 'false',
        sampling_ratio: '0.5',
        propagators: 'b3, jaeger',
        service_name: '1',
      }),
    ).toEqual({ enabled: false, sampling_ratio: 0.5, propagators: ['b3', 'jaeger'], service_name: '1' });
  });

  it('requires an applier for each live field (checked by the compiler)', () => {
    const noop = () => {};
    const live = CONFIG_FIELD_NAMES.filter((field) => fieldEntry(field).live) as LiveField[];
    const all = Object.fromEntries(live.map((field) => [field, noop])) as unknown as LiveAppliers;
    const { protect_reads: _left, ...missingOne } = all;
    // @ts-expect-error: a live field (protect_reads) without its applier does not compile
    const incomplete: LiveAppliers = missingOne;
    expect(Object.keys(incomplete)).toHaveLength(live.length - 1);
  });
});
