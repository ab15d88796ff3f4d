// The README's Hono integration, as a file a test runs exactly as written: your own Hono app with
// server spans and request metrics, its own /metrics, and the whole telemetry service mounted.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { initTelemetry } from 'wal-telemetry';
import { metricsRoute, telemetryMiddleware } from 'wal-telemetry/hono';
import { mountTelemetryService } from 'wal-telemetry/service';

const telemetry = initTelemetry({
  serviceName: 'my-app',
  prometheus: true,
  propagators: ['tracecontext', 'baggage', 'b3', 'jaeger'], // what this app reads and writes
});
const app = new Hono();

app.use(telemetryMiddleware(telemetry)); // server spans continuing W3C, B3 and Jaeger contexts
app.get('/metrics', metricsRoute(telemetry)); // Prometheus text or OpenMetrics
mountTelemetryService(app, telemetry, { path: '/telemetry', dataDir: '.wal-telemetry' });

app.post('/entries', async (c) => {
  const op = telemetry.wal.startOperation('add', 's3');
  op.end('success');
  return c.json({ stored: true });
});

export const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
export { app, telemetry };
