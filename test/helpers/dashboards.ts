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

interface DashboardJson {
  panels: Array<{ title?: string; targets?: Array<{ expr: string }> }>;
}

/** The panel queries of one dashboard (as built by grafana/src or read from its JSON file). */
export function queriesOf(name: string, dashboard: unknown): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of (dashboard as DashboardJson).panels)
    for (const target of panel.targets ?? [])
      queries.push({
        panel: `${name} / ${panel.title}`,
        expr: target.expr.replace(/\$__rate_interval/g, '2m').replace(/\$\{?[a-z_]+\}?/g, '.*'),
      });
  return queries;
}

/** The panel queries of every provisioned dashboard file, or of the files named. */
export function dashboardQueries(files?: string[]): PanelQuery[] {
  const dir = join(REPO, 'grafana/dashboards');
  return (files ?? readdirSync(dir).filter((f) => f.endsWith('.json'))).flatMap((file) =>
    queriesOf(file, JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  );
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
  queries: PanelQuery[] = dashboardQueries(),
): Promise<string[]> {
  const failures: string[] = [];
  for (const { panel, expr } of queries) {
    const ok = await poll(
      panel,
      async () => ((await query(expr)).length > 0 ? true : undefined),
      timeoutMs,
    ).catch(() => false);
    if (!ok) failures.push(`${panel}: ${expr}`);
  }
  return failures;
}
