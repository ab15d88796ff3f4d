import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DASHBOARDS, renderDashboard } from '../../grafana/src/generate.js';
import { promtoolBinary, REPO, run } from '../helpers/tools.js';

interface Target {
  expr?: string;
  refId?: string;
  datasource?: { uid?: string; type?: string };
}
interface Panel {
  type: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: Target[];
  gridPos?: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: {
    list?: Array<{ name: string; type?: string; query?: string; datasource?: { uid?: string } }>;
  };
}

const DIR = join(REPO, 'grafana/dashboards');
const dashboards = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard] as const);
const provisioned = new Set(
  (
    parse(readFileSync(join(REPO, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
      datasources: Array<{ uid: string }>;
    }
  ).datasources.map((d) => d.uid),
);

/** Grafana's variables replaced by values that keep the PromQL valid. */
function substituteVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?[a-z_]+\}?/g, '.*');
}

let promtool: string;
beforeAll(() => {
  promtool = promtoolBinary();
});

describe('Grafana dashboards', () => {
  it('are the committed output of grafana/src (npm run dashboards)', () => {
    expect(dashboards.map(([f]) => f).sort()).toEqual(Object.keys(DASHBOARDS).sort());
    for (const [file, build] of Object.entries(DASHBOARDS)) {
      expect(readFileSync(join(DIR, file), 'utf8'), file).toBe(renderDashboard(build));
    }
  });

  it('have the structure Grafana’s schema requires and unique uids', () => {
    expect(new Set(dashboards.map(([, d]) => d.uid)).size).toBe(dashboards.length);
    for (const [file, d] of dashboards) {
      expect(d.title, file).toMatch(/\S/);
      for (const panel of d.panels) {
        expect(panel.type, file).toMatch(/^(row|timeseries|stat|heatmap)$/);
        // A heatmap of a native histogram reads the buckets in the sample: Grafana must not bucket
        // the values again itself.
        if (panel.type === 'heatmap')
          expect(
            (panel as { options?: { calculate?: boolean } }).options?.calculate,
            `${file} ${panel.title}`,
          ).toBe(false);
        expect(panel.gridPos, `${file} ${panel.title}`).toBeDefined();
        if (panel.type === 'row') continue;
        expect(panel.targets?.length, `${file} ${panel.title}`).toBeGreaterThan(0);
        expect(new Set(panel.targets?.map((t) => t.refId)).size).toBe(panel.targets?.length);
      }
    }
  });

  it('use only the provisioned datasource uids', () => {
    for (const [file, d] of dashboards) {
      const refs = [
        ...d.panels.flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
        ...(d.templating?.list ?? []).map((v) => v.datasource),
      ].filter((ref): ref is { uid?: string } => ref !== undefined);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(provisioned, `${file}: ${ref.uid}`).toContain(ref.uid);
    }
  });

  it('every panel query (and variable query) parses as PromQL, checked by promtool', () => {
    const exprs = dashboards.flatMap(([file, d]) =>
      d.panels.flatMap((p) =>
        (p.targets ?? []).map((t) => ({ where: `${file} / ${p.title}`, expr: t.expr ?? '' })),
      ),
    );
    const metricQueries = dashboards.flatMap(([file, d]) =>
      // Query variables only: a textbox (the Jaeger UI's address) holds no PromQL.
      (d.templating?.list ?? [])
        .filter((v) => v.type === 'query')
        .map((v) => ({
          where: `${file} / $${v.name}`,
          expr: /label_values\((.+), \w+\)$/.exec(v.query ?? '')?.[1] ?? '',
        })),
    );
    const all = [...exprs, ...metricQueries];
    expect(all.length).toBeGreaterThan(20);
    for (const { where, expr } of all) expect(expr, where).toMatch(/\S/);
    // Each query becomes a recording rule, so promtool's parser checks every one of them.
    const rules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: all.map((q, i) => ({ record: `dashboard:query_${i}`, expr: substituteVariables(q.expr) })),
        },
      ],
    };
    const dir = join(REPO, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'dashboard-queries.rules.yml');
    writeFileSync(file, stringify(rules));
    const result = run(promtool, ['check', 'rules', file]);
    expect(result.status, result.output).toBe(0);
    // the check does catch a broken query
    writeFileSync(
      file,
      stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y', expr: 'sum(rate(foo[5m])' }] }] }),
    );
    expect(run(promtool, ['check', 'rules', file]).status).not.toBe(0);
  });
});
