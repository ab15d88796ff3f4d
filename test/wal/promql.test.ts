// CONTRIBUTING.md's table of what every figure means is figurePromql's output, row for row, so
// the table a reader sees is the PromQL the differential suite (test/stack/differential.test.ts) runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGGREGATIONS, METRIC_TYPES } from '../../src/wal/metricTypes.js';
import { figurePromql, promDuration, walPromql } from '../../src/wal/promql.js';

const TABLE = readFileSync(new URL('../../CONTRIBUTING.md', import.meta.url), 'utf8');

describe('figurePromql', () => {
  it.each(METRIC_TYPES)('%s: every aggregation is in CONTRIBUTING.md as the suite runs it', (metricType) => {
    for (const aggregation of AGGREGATIONS) {
      const expr = figurePromql(metricType, aggregation, {
        range: '$range',
        step: '$step',
        spanSeconds: '$span',
      });
      const row = `| \`${metricType}\` | \`${aggregation}\` | ${expr === null ? '—' : `\`${expr}\``}`;
      expect(TABLE).toContain(row);
    }
  });

  it('adds a selector to every metric it reads, with the outcome matcher inside it', () => {
    const expr = figurePromql('error_rate', 'average', {
      range: '60s',
      step: '10s',
      spanSeconds: '50',
      sel: '{job="a"}',
    });
    expect(expr).toContain('wal_operation_duration_seconds{job="a", wal_operation_outcome="failure"}[10s]');
    expect(expr).not.toMatch(/_seconds\[/);
    // A native histogram: no path reads _bucket, _sum or _count series.
    expect(expr).not.toMatch(/_seconds_(bucket|sum|count)/);
  });

  it('spells windows as PromQL durations', () => {
    expect(promDuration(10_000)).toBe('10s');
    expect(promDuration(2_500)).toBe('2500ms');
    expect(walPromql().health('{job="a"}')).toBe('min by (wal_backend) (wal_backend_health_ratio{job="a"})');
  });
});
