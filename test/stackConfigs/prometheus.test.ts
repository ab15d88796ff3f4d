import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheusNames } from '../../src/wal/prometheusNaming.js';
import { promtoolBinary, REPO, run } from '../helpers/tools.js';

let promtool: string;
beforeAll(() => {
  promtool = promtoolBinary();
});

const RULES = join(REPO, 'prometheus/rules');
const TESTS = join(REPO, 'prometheus/tests');

interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface RuleTests {
  tests: Array<{ alert_rule_test?: AlertTest[] }>;
}

describe('Prometheus config and rules (promtool)', () => {
  it('promtool check config', () => {
    const result = run(promtool, ['check', 'config', join(REPO, 'prometheus/prometheus.yml')]);
    expect(result.status, result.output).toBe(0);
  });

  it('promtool check rules', () => {
    const files = readdirSync(RULES)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(RULES, f));
    expect(files.length).toBeGreaterThan(0);
    const result = run(promtool, ['check', 'rules', ...files]);
    expect(result.status, result.output).toBe(0);
  });

  it('promtool test rules', () => {
    const files = readdirSync(TESTS)
      .filter((f) => f.endsWith('.test.yml'))
      .map((f) => join(TESTS, f));
    const result = run(promtool, ['test', 'rules', ...files]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('the rules and their tests spell every WAL metric and label as the metric contract does', () => {
    const names = prometheusNames();
    const metrics = new Set(Object.values(names).filter((v): v is string => typeof v === 'string'));
    const labels = new Set(Object.values(names.labels));
    const texts = [
      ...readdirSync(RULES).map((f) => join(RULES, f)),
      ...readdirSync(TESTS).map((f) => join(TESTS, f)),
    ]
      .filter((f) => f.endsWith('.yml'))
      .map((f) => readFileSync(f, 'utf8').replace(/^\s*#.*$/gm, ''));
    const used = new Set(texts.flatMap((text) => [...text.matchAll(/\bwal_[a-z_]+\b/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThan(5);
    const unknown = [...used].filter((name) => !metrics.has(name) && !labels.has(name));
    expect(unknown).toEqual([]);
  });

  it('every alert has a firing and a non-firing case', () => {
    const alerts = readdirSync(RULES)
      .filter((f) => f.endsWith('.yml'))
      .flatMap(
        (f) =>
          (
            parse(readFileSync(join(RULES, f), 'utf8')) as {
              groups: Array<{ rules: Array<{ alert?: string }> }>;
            }
          ).groups,
      )
      .flatMap((g) => g.rules)
      .flatMap((r) => (r.alert ? [r.alert] : []));
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    const cases = readdirSync(TESTS)
      .filter((f) => f.endsWith('.test.yml'))
      .flatMap((f) => (parse(readFileSync(join(TESTS, f), 'utf8')) as RuleTests).tests)
      .flatMap((t) => t.alert_rule_test ?? []);
    for (const alert of alerts) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${alert} fires`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${alert} stays quiet`,
      ).toBe(true);
    }
  });

  it('a broken rule test really fails (the harness can fail)', () => {
    const broken = `rule_files: [${JSON.stringify(join(RULES, 'wal-recording.yml'))}, ${JSON.stringify(join(RULES, 'wal-alerts.yml'))}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'wal_backend_health_ratio{job="app",wal_backend="ipfs"}'
        values: '1x20'
    alert_rule_test:
      - eval_time: 10m
        alertname: WalBackendOffline
        exp_alerts:
          - exp_labels: { severity: critical, job: app, wal_backend: ipfs }
`;
    const dir = join(REPO, 'test-artifacts');
    const file = join(dir, 'broken.test.yml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, broken);
    const result = run(promtool, ['test', 'rules', file]);
    expect(result.status).not.toBe(0);
  });
});
