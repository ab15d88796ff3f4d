// `docker compose up` as a user runs it: the REAL docker-compose.yml and .env (plus
// docker-compose.machine.yml: stand-in base images, the build network, no Grafana server), under a
// real Docker Engine. Every assertion goes through the published ports or the compose CLI, never
// in-process: health, Prometheus targets, the workload's WAL series, the service answering from
// Prometheus, traces in Jaeger and Zipkin, exemplars, dashboards, alert rules, doctor, a restarted
// and a killed collector losing nothing acknowledged, and `down -v` leaving nothing behind.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dashboardQueries, panelsWithoutData } from '../helpers/dashboards.js';
import { poll } from '../helpers/poll.js';
import { CLI_PATH } from '../helpers/spawnCli.js';
import { REPO } from '../helpers/tools.js';
import { runTraceApp } from '../scale/fixtures/spawnTraceApp.js';
import { jaegerTraces, readSent, ringAt, scrapeSum, storedSpans } from '../scale/observe.js';
import { compose, composeEnv, composeScaled, docker, promQuery, services, URLS } from './harness.js';

const API = `${URLS.service}/api/v0/wal/telemetry`;
const WORKLOAD = 'wal-demo-workload';
const SERVICE = 'wal-telemetry-service';
const EXPECTED_SERVICES = ['collector', 'jaeger', 'prometheus', 'telemetry', 'workload', 'zipkin'];
const figures: Record<string, unknown> = {};
let downDone = false;

beforeAll(async () => {
  // A stack left by an interrupted run would hold the ports and the volumes: start clean.
  await compose(['down', '-v', '--remove-orphans']);
  const started = Date.now();
  await compose(['up', '-d', '--wait', '--wait-timeout', '420']);
  figures.upWaitSeconds = (Date.now() - started) / 1000;
}, 600_000);

afterAll(async () => {
  console.log('compose figures', JSON.stringify(figures, null, 2));
  if (!downDone) {
    console.error(await compose(['logs', '--no-color', '--tail', '60']).catch(String));
    await compose(['down', '-v', '--remove-orphans']).catch(() => undefined);
  }
});

describe('docker compose up -d --wait', () => {
  it('every service but Grafana is healthy', async () => {
    const states = await services();
    expect(states.map((s) => s.Service).sort()).toEqual(EXPECTED_SERVICES);
    for (const state of states)
      expect({ service: state.Service, health: state.Health }).toEqual({
        service: state.Service,
        health: 'healthy',
      });
  });

  it('every Prometheus target is up', async () => {
    const targets = await poll(
      'every target up',
      async () => {
        const body = (await (await fetch(`${URLS.prometheus}/api/v1/targets`)).json()) as {
          data: { activeTargets: Array<{ scrapePool: string; health: string; lastError: string }> };
        };
        const active = body.data.activeTargets;
        return active.length > 0 && active.every((t) => t.health === 'up') ? active : undefined;
      },
      90_000,
    ).catch(async () => (await (await fetch(`${URLS.prometheus}/api/v1/targets`)).json()) as unknown);
    expect(JSON.stringify(targets)).not.toMatch(/"health":"(down|unknown)"/);
    expect((targets as Array<{ scrapePool: string }>).map((t) => t.scrapePool).sort()).toEqual([
      'otel-collector',
      'wal-telemetry-service',
    ]);
  });

  it('the workload service sends every WAL metric to Prometheus through the collector', async () => {
    const names = await poll(
      'wal_* series of the workload',
      async () => {
        const rows = await promQuery(`count by (__name__) ({__name__=~"wal_.+", job="${WORKLOAD}"})`);
        const found = rows.map((row) => row.metric.__name__ as string);
        return found.includes('wal_backend_health_ratio') && found.includes('wal_queue_size')
          ? found
          : undefined;
      },
      120_000,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        // Native histograms: one series name each, no _bucket or _count.
        'wal_operation_duration_seconds',
        'wal_backend_response_time_seconds',
        'wal_queue_size',
        'wal_backend_health_ratio',
      ]),
    );
  });

  it('the telemetry service answers realtime from Prometheus, consistent with PromQL', async () => {
    const logs = await compose(['logs', '--no-color', 'telemetry']);
    expect(logs).toContain('answering from: Prometheus at http://prometheus:9090');
    // The service runs no WAL of its own: every key it reports comes from the workload's series.
    const checked = await poll(
      'realtime keys = PromQL keys',
      async () => {
        const keysRows = await promQuery(
          'count by (wal_operation_type, wal_backend) (wal_operation_duration_seconds)',
        );
        const promKeys = keysRows.map((r) => `${r.metric.wal_operation_type}:${r.metric.wal_backend}`).sort();
        // The legacy API's flat realtime shape.
        const body = (await (await fetch(`${API}/realtime`)).json()) as {
          success: boolean;
          latency: Record<string, unknown>;
          total_operations: number;
          backend_health: Record<string, unknown>;
        };
        const [cumulative] = await promQuery('sum(histogram_count(wal_operation_duration_seconds))');
        const keys = Object.keys(body.latency).sort();
        if (promKeys.length === 0 || keys.join() !== promKeys.join()) return undefined;
        return { body, promKeys, cumulative: Number(cumulative?.value[1]) };
      },
      120_000,
    );
    expect(checked.body.success).toBe(true);
    expect(checked.body.total_operations).toBeGreaterThan(0);
    // The window's count is PromQL's: increase() over each 15 s step extrapolates the samples
    // inside it to the step's end, by up to one 5 s export interval. A series younger than its
    // step (this stack has just started) has only its own span of samples there, from the 0 at
    // its start time, and Prometheus extrapolates up to 1.1 average sample intervals past the
    // last one: with two samples, up to 2.1 times what it counted (README, "What the numbers
    // mean"). So at most 2.1 times every operation Prometheus has counted since start.
    expect(checked.body.total_operations).toBeLessThanOrEqual(2.1 * checked.cumulative);
    const backends = (await promQuery('count by (wal_backend) (wal_backend_health_ratio)'))
      .map((r) => r.metric.wal_backend)
      .sort();
    expect(Object.keys(checked.body.backend_health).sort()).toEqual(backends);
  });

  it('the telemetry service serves its web console and its assets from the image', async () => {
    const page = await fetch(`${URLS.service}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await page.text()).toContain('<script type="module" src="console/console.js">');
    for (const asset of ['console/console.js', 'console/console.css', 'console/vendor/uPlot.esm.js']) {
      expect((await fetch(`${URLS.service}/${asset}`)).status, asset).toBe(200);
    }
  });

  it('Jaeger and Zipkin hold traces from both the workload and the service', async () => {
    for (let i = 0; i < 5; i++) await fetch(`${API}/metrics?metric_type=throughput&aggregation=average`);
    const found = await poll(
      'both services in Jaeger and Zipkin',
      async () => {
        const jaeger =
          ((await (await fetch(`${URLS.jaeger}/api/services`)).json()) as { data: string[] | null }).data ??
          [];
        const zipkin = (await (await fetch(`${URLS.zipkin}/api/v2/services`)).json()) as string[];
        const all = [WORKLOAD, SERVICE].every((s) => jaeger.includes(s) && zipkin.includes(s));
        return all ? { jaeger, zipkin } : undefined;
      },
      120_000,
    );
    expect(found.jaeger).toEqual(expect.arrayContaining([WORKLOAD, SERVICE]));
    expect(found.zipkin).toEqual(expect.arrayContaining([WORKLOAD, SERVICE]));
  });

  it('span-metrics exemplars resolve to traces in Jaeger', async () => {
    const traceIds = await poll(
      'exemplars',
      async () => {
        const end = Date.now() / 1000;
        const query = `traces_span_metrics_duration_milliseconds_bucket{service_name="${WORKLOAD}"}`;
        const url = `${URLS.prometheus}/api/v1/query_exemplars?query=${encodeURIComponent(query)}&start=${end - 3600}&end=${end}`;
        const body = (await (await fetch(url)).json()) as {
          data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }>;
        };
        const ids = body.data.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id)).filter(Boolean);
        return ids.length > 0 ? (ids as string[]) : undefined;
      },
      120_000,
    );
    for (const id of traceIds.slice(0, 5)) {
      const trace = await poll(
        `trace ${id} in Jaeger`,
        async () => {
          const response = await fetch(`${URLS.jaeger}/api/traces/${id}`);
          return response.ok ? ((await response.json()) as { data: Array<{ traceID: string }> }) : undefined;
        },
        60_000,
      );
      expect(trace.data[0]?.traceID.padStart(32, '0')).toBe(id.padStart(32, '0'));
    }
  });

  it("Jaeger's Monitor tab has the service's calls and latency (span metrics read from Prometheus)", async () => {
    // The service's own HTTP server spans, while Jaeger is asked: its queries are rates.
    const traffic = setInterval(() => {
      void fetch(`${API}/metrics?metric_type=throughput&aggregation=average`).then((r) => r.arrayBuffer());
    }, 500);
    try {
      for (const kind of ['calls', 'latencies'] as const) {
        const values = await poll(
          `Jaeger's ${kind} of ${SERVICE}`,
          async () => {
            const query = new URLSearchParams({
              service: SERVICE,
              spanKind: 'server',
              endTs: String(Date.now()),
              lookback: '600000',
              step: '60000',
              ratePer: '600000',
              ...(kind === 'latencies' ? { quantile: '0.95' } : {}),
            });
            const body = (await (await fetch(`${URLS.jaeger}/api/metrics/${kind}?${query}`)).json()) as {
              metrics?: Array<{ metricPoints: Array<{ gaugeValue: { doubleValue?: number } }> }>;
            };
            const points = (body.metrics ?? []).flatMap((m) =>
              m.metricPoints.map((p) => p.gaugeValue.doubleValue ?? 0),
            );
            return points.some((v) => Number.isFinite(v) && v > 0) ? points : undefined;
          },
          150_000,
        );
        expect(values.length).toBeGreaterThan(0);
      }
    } finally {
      clearInterval(traffic);
    }
  });

  it('every provisioned dashboard panel query returns data from the compose Prometheus', async () => {
    // Service → service edges need an app whose outgoing HTTP calls are traced; compose runs none
    // (the stack suite's e2e test makes them and checks those panels).
    const queries = dashboardQueries().filter((q) => !q.expr.includes('server_address!=""'));
    expect(await panelsWithoutData(promQuery, 90_000, queries)).toEqual([]);
  });

  it('every alert and recording rule is loaded', async () => {
    const expected: string[] = [];
    for (const file of ['wal-alerts.yml', 'wal-recording.yml']) {
      const rules = parse(readFileSync(join(REPO, 'prometheus/rules', file), 'utf8')) as {
        groups: Array<{ rules: Array<{ alert?: string; record?: string }> }>;
      };
      for (const group of rules.groups)
        for (const rule of group.rules) expected.push((rule.alert ?? rule.record) as string);
    }
    const body = (await (await fetch(`${URLS.prometheus}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> };
    };
    const loaded = body.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(expected.sort());
    expect(loaded.filter((r) => r.health === 'err')).toEqual([]);
  });

  it('the service, on 0.0.0.0 with no WAL_TELEMETRY_API_KEY, made a key: anonymous writes get 401, the key opens them', async () => {
    const key = (await compose(['exec', '-T', 'telemetry', 'cat', '/data/api-key'])).trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Printed once, in the service's log, where `docker compose logs telemetry` shows it.
    expect(await compose(['logs', '--no-color', 'telemetry'])).toContain(key);
    const post = (headers: Record<string, string>) =>
      fetch(`${API}/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ detailed_timing: true }),
      });
    expect((await post({})).status).toBe(401);
    expect((await fetch(`${API}/report`, { method: 'POST' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('wal-telemetry doctor, with its defaults (the compose URLs), exits 0', () => {
    const { PROMETHEUS_URL: _, ...env } = process.env;
    const doctor = spawnSync(process.execPath, ['--import', 'tsx', CLI_PATH, 'doctor'], {
      cwd: REPO,
      encoding: 'utf8',
      env,
    });
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('every backend is reachable and healthy');
  });
});

describe('the collector restarted and killed mid-stream (queue on the named volume)', () => {
  it.each([
    ['restart', ['restart', 'collector']],
    ['kill + up', ['kill', 'collector']],
  ] as const)(
    'docker compose %s: every acknowledged span reaches Jaeger and Zipkin',
    async (name, action) => {
      const TRACES = 1_000;
      const SPANS = TRACES * 5;
      const service = `compose-${name.replace(/\W+/g, '-')}-${randomBytes(2).toString('hex')}`;
      const outFile = join(mkdtempSync(join(tmpdir(), 'wal-compose-')), `${service}.jsonl`);
      const sending = runTraceApp({ service, otlpHttp: URLS.otlpHttp, traces: TRACES, seconds: 15, outFile });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const stopped = Date.now();
      await compose([...action]);
      if (action[0] === 'kill') await compose(['up', '-d', '--wait', 'collector']);
      figures[`${name}: collector down ms`] = Date.now() - stopped;
      await sending;
      expect(readSent(outFile)).toHaveLength(TRACES);
      const counts = await poll(
        `${SPANS} distinct spans in Jaeger and Zipkin`,
        async () => {
          const jaeger = await storedSpans('jaeger', URLS.jaeger, service);
          const zipkin = await storedSpans('zipkin', URLS.zipkin, service);
          return jaeger.distinct >= SPANS && zipkin.distinct >= SPANS ? { jaeger, zipkin } : undefined;
        },
        180_000,
      ).catch(async () => ({
        jaeger: await storedSpans('jaeger', URLS.jaeger, service),
        zipkin: await storedSpans('zipkin', URLS.zipkin, service),
      }));
      figures[name] = counts;
      expect(counts.jaeger.distinct).toBe(SPANS);
      expect(counts.zipkin.distinct).toBe(SPANS);
    },
  );
});

describe('the gateway tier: docker-compose.scale.yml, scaled 3 → 2 → 4 and a gateway stopped, under error traces', () => {
  it('every error trace is kept whole on one gateway; the agent follows the replicas through DNS', async () => {
    const TRACES = 2_000;
    const SPANS = 5;
    const agentMetrics = 'http://127.0.0.1:8888/metrics';
    const ring = (n: number) => ringAt(agentMetrics, n);
    const started = Date.now();
    await composeScaled(['up', '-d', '--wait', '--wait-timeout', '300', '--scale', 'gateway=3']);
    figures.scaleUpWaitSeconds = (Date.now() - started) / 1000;
    const states = await services();
    expect(states.filter((s) => s.Service === 'gateway').map((s) => s.Health)).toEqual([
      'healthy',
      'healthy',
      'healthy',
    ]);
    await ring(3);
    const service = `compose-scale-${randomBytes(2).toString('hex')}`;
    const outFile = join(mkdtempSync(join(tmpdir(), 'wal-compose-')), `${service}.jsonl`);
    const sending = runTraceApp({
      service,
      otlpHttp: URLS.otlpHttp,
      traces: TRACES,
      seconds: 40,
      outFile,
      mix: 'errors',
    });
    const steps: Record<string, number> = {};
    // When each change began and ended (ms since the load started): a lost trace is placed by it.
    const events: Array<{ name: string; from: number; to: number }> = [];
    const scaleTo = async (n: number) => {
      const t = Date.now();
      await composeScaled(['up', '-d', '--wait', '--no-recreate', '--scale', `gateway=${n}`]);
      await ring(n);
      steps[`to ${n} gateways, ms until the ring has them`] = Date.now() - t;
      events.push({ name: `to ${n}`, from: t - sendingFrom, to: Date.now() - sendingFrom });
    };
    const sendingFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await scaleTo(2);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await scaleTo(4);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    // One gateway stopped (SIGTERM, then its stop_grace_period) and started again mid-run.
    const project = composeEnv().COMPOSE_PROJECT_NAME as string;
    const t = Date.now();
    await docker(['stop', `${project}-gateway-2`]);
    await ring(3);
    await docker(['start', `${project}-gateway-2`]);
    await ring(4);
    steps['gateway-2 stopped and started, ms'] = Date.now() - t;
    events.push({ name: 'stop + start', from: t - sendingFrom, to: Date.now() - sendingFrom });
    await sending;
    figures.scaleSteps = { ...steps, sendingSeconds: (Date.now() - sendingFrom) / 1000 };
    const sent = readSent(outFile);
    expect(sent).toHaveLength(TRACES);
    const kept = await poll(
      `${TRACES} traces of ${SPANS} spans in Jaeger`,
      async () => {
        const traces = await jaegerTraces(URLS.jaeger, service);
        const whole = [...traces.values()].filter((trace) => trace.spans >= SPANS).length;
        return whole >= TRACES ? traces : undefined;
      },
      180_000,
    ).catch(() => jaegerTraces(URLS.jaeger, service));
    const spans = await storedSpans('jaeger', URLS.jaeger, service);
    const lost = sent.filter((trace) => !kept.has(trace.traceId));
    const counts = {
      sent: sent.length,
      lost: lost.length,
      partial: [...kept.values()].filter((trace) => trace.spans < SPANS).length,
      split: [...kept.values()].filter((trace) => trace.gateways.size > 1).length,
      duplicateSpans: spans.total - spans.distinct,
    };
    const failures: Record<string, number> = {};
    for (const metric of [
      'otelcol_receiver_refused_spans_total',
      'otelcol_exporter_send_failed_spans_total',
      'otelcol_exporter_enqueue_failed_spans_total',
      'otelcol_exporter_sent_spans_total',
      'otelcol_receiver_accepted_spans_total',
    ])
      failures[`agent ${metric}`] = await scrapeSum(agentMetrics, metric);
    // Sends to one gateway that failed (each then retried, or routed again by the agent's queue).
    failures['agent sends to a gateway that failed'] = await scrapeSum(
      agentMetrics,
      'otelcol_loadbalancer_backend_outcome_total',
      { success: 'false' },
    );
    figures.scale = {
      ...counts,
      app: JSON.parse(readFileSync(`${outFile}.stats.json`, 'utf8')),
      ...failures,
      events,
      lostAt: lost.map((trace) => trace.at - sendingFrom),
      // Replicas that decided traces: gateway-1 … 4, and the gateway-3 removed at 3 → 2.
      gateways: new Set([...kept.values()].flatMap((trace) => [...trace.gateways])).size,
    };
    // No trace lost or cut short; split traces and duplicate spans are the price of re-routing a
    // failed batch (collector/overlays/agent-dns.yaml), counted in SCALING.md.
    expect({ sent: counts.sent, lost: counts.lost, partial: counts.partial }).toEqual({
      sent: TRACES,
      lost: 0,
      partial: 0,
    });
  }, 600_000);
});

describe('docker compose down -v', () => {
  it('leaves no container, volume or network of the project behind', async () => {
    await compose(['down', '-v', '--remove-orphans']);
    downDone = true;
    const project = composeEnv().COMPOSE_PROJECT_NAME as string;
    const filter = `label=com.docker.compose.project=${project}`;
    expect((await docker(['ps', '-a', '-q', '--filter', filter])).trim()).toBe('');
    expect((await docker(['volume', 'ls', '-q', '--filter', filter])).trim()).toBe('');
    expect((await docker(['network', 'ls', '-q', '--filter', filter])).trim()).toBe('');
  });
});
