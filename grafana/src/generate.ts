// Writes grafana/dashboards/*.json from the TypeScript definitions (npm run dashboards).
// A test regenerates them and compares with the committed files.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { collectorHealth } from './collectorHealth.js';
import { serviceCalls } from './serviceCalls.js';
import { serviceRed } from './serviceRed.js';
import { walOverview } from './walOverview.js';

export const DASHBOARDS: Readonly<Record<string, () => dashboard.Dashboard>> = {
  'wal-overview.json': walOverview,
  'collector-health.json': collectorHealth,
  'service-red.json': serviceRed,
  'service-calls.json': serviceCalls,
};

export function renderDashboard(build: () => dashboard.Dashboard): string {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    const path = fileURLToPath(new URL(`../dashboards/${file}`, import.meta.url));
    writeFileSync(path, renderDashboard(build));
    console.log(`wrote ${path}`);
  }
}
