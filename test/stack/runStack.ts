// `npm run stack`: the native stack by hand — starts the real Collector, Prometheus, Jaeger and
// Zipkin on loopback, prints their URLs, and tears them down on Ctrl-C. A no-Docker way to get
// the backends for an app using initTelemetry (point OTEL_EXPORTER_OTLP_ENDPOINT at the OTLP URL).
import { startStack } from './harness.js';

const stack = await startStack();
console.log('wal-telemetry native stack is up:');
console.log(`  OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT): ${stack.urls.otlpHttp}`);
console.log(`  OTLP/gRPC:                               127.0.0.1:${stack.ports.otlpGrpc}`);
console.log(`  Prometheus (PROMETHEUS_URL):              ${stack.urls.prometheus}`);
console.log(`  Jaeger UI:                               ${stack.urls.jaeger}`);
console.log(`  Zipkin UI:                               ${stack.urls.zipkin}`);
console.log(
  `  collector health / own metrics:          ${stack.urls.collectorHealth} ${stack.urls.collectorMetrics}`,
);
console.log(
  `  Prometheus scrapes a telemetry service on 127.0.0.1:${stack.ports.service} (wal-telemetry serve --port ${stack.ports.service})`,
);
console.log('Ctrl-C to stop.');
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await stack.teardown();
