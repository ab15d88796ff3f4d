// The provisioned Grafana dashboards' panel queries, ready to run against a real Prometheus
// (template variables widened to match anything), and the metric names they read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { poll } from './poll.js';
import { REPO } from './tools.js';

export interface PanelQuery {
  /** "<file> / <panel title>" */
  panel: string;
  expr: string;
}

export function dashboardQueries(): PanelQuery[] {
  const dir = join(REPO, 'grafana/dashboards');
  const queries: PanelQuery[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      panels: Array<{ title?: string; targets?: Array<{ expr: string }> }>;
    };
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? [])
        queries.push({
          panel: `${file} / ${panel.title}`,
          expr: target.expr.replace(/\$__rate_interval/g, '2m').replace(/\$\{?[a-z_]+\}?/g, '.*'),
        });
  }
  return queries;
}

/** The metric names with this prefix that the dashboards select (a name followed by `{`). */
export function dashboardMetricNames(prefix = 'wal'): string[] {
  const names = new Set<string>();
  for (const { expr } of dashboardQueries())
    for (const [, name] of expr.matchAll(new RegExp(`\\b(${prefix}_[a-zA-Z0-9_]+)\\{`, 'g')))
      names.add(name as string);
  return [...names].sort();
}

/**
 * The panels whose query returns no data from a real Prometheus within `timeoutMs` each, as
 * "<panel>: <expr>" (empty when every panel has data).
 */
export async function panelsWithoutData(
  query: (expr: string) => Promise<unknown[]>,
  timeoutMs: number,
): Promise<string[]> {
  const failures: string[] = [];
  for (const { panel, expr } of dashboardQueries()) {
    const ok = await poll(
      panel,
      async () => ((await query(expr)).length > 0 ? true : undefined),
      timeoutMs,
    ).catch(() => false);
    if (!ok) failures.push(`${panel}: ${expr}`);
  }
  return failures;
}
