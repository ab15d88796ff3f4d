// The architecture of src/, checked by dependency-cruiser in `npm run lint` (and so in CI).
// Folders are layers, lowest first; a module may import its own layer and lower ones only. With a
// strict order no folder cycle can form: any cycle needs one upward import, which is refused.
// Must match: README.md's "Where things live" (test/manifests/layerMap.test.ts checks it).
const LAYERS = [
  'util', // no project imports
  'wal', // the metric contract, the recorder
  'trace', // propagation, span helpers
  'query', // MetricsSource: in-process and Prometheus
  'config', // the service config schema and store
  'charts', // chart specs and rendering (on worker threads)
  'api', // the HTTP API: wire types, serializers, base path
  'sdk', // initTelemetry()
  'demo', // the demo WAL
  'report', // report builder and store
  'client', // WalTelemetryClient (no SDK)
  'service', // the Hono service
  'hono', // one-liners for a user's own Hono app
  'cli', // the command line
];

const upward = LAYERS.map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `${layer}/ is below ${LAYERS.slice(i + 1).join(', ')}: it may not import them`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
})).filter((rule) => rule.to.path !== '^src/()/');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules import each other in a circle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'folders-not-entry-points',
      comment: 'index.ts and cli.ts are entry points: nothing in src/ imports them',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/(index|cli)\\.ts$' },
    },
    {
      name: 'client-without-sdk',
      comment: 'wal-telemetry/client must load no OpenTelemetry SDK module, directly or not',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: ['^src/sdk/', '@opentelemetry/sdk-', '@opentelemetry/exporter-'], reachable: true },
    },
    {
      name: 'src-not-test',
      comment: 'the package never imports its tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
