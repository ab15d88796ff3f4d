// The Prometheus name of an OpenTelemetry metric, as the Collector's Prometheus translation makes
// it (OTLP → Prometheus with unit and type suffixes, underscore escaping): `wal.operation.duration`
// in seconds becomes `wal_operation_duration_seconds`, a counter gains `_total`, a gauge in unit
// `1` gains `_ratio`, a `{annotation}` unit adds nothing. The app's own `/metrics` endpoint and
// `prometheusNames()` both use this function, so the dashboards and alert rules find the same
// names whichever path the data took. Written here rather than taken from a library: the rules
// live in the Collector's Go code (prometheus/otlptranslator) and no JS package exports them.
// Must match: the names the real Collector produces (pinned in test/stack/e2e.test.ts).

import { ATTR, DEFAULT_PREFIX, INSTRUMENT_SHAPES, instrumentNames } from './contract.js';

export type PrometheusKind = 'counter' | 'gauge' | 'histogram' | 'updowncounter';

/** Main units the translator spells out (UCUM → Prometheus word). Unlisted units pass through. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** Units after a `/` (rates): `By/s` → `bytes_per_second`. */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

function cleanUnit(word: string): string {
  return word.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function unitWord(unit: string, table: Readonly<Record<string, string>>): string {
  const trimmed = unit.trim();
  if (trimmed === '' || /[{}]/.test(trimmed)) return '';
  return cleanUnit(table[trimmed] ?? trimmed);
}

/** The unit word a Prometheus name carries for this unit (`seconds`), or '' when none. */
export function prometheusUnit(unit: string): string {
  const [main = '', per = ''] = unit.split('/', 2);
  const mainWord = unitWord(main, UNIT_WORDS);
  const perWord = unitWord(per, PER_UNIT_WORDS);
  if (perWord === '') return mainWord;
  return mainWord === '' ? `per_${perWord}` : `${mainWord}_per_${perWord}`;
}

/**
 * The Prometheus metric name (the family name plus `_total` for counters; histograms' samples
 * add `_bucket`, `_sum`, `_count`).
 */
export function prometheusName(otelName: string, unit: string, kind: PrometheusKind): string {
  let tokens = otelName.split(/[^a-zA-Z0-9:]+/).filter((token) => token !== '');
  const [main = '', per = ''] = unit.split('/', 2);
  const mainWord = unitWord(main, UNIT_WORDS);
  const perWord = unitWord(per, PER_UNIT_WORDS);
  if (mainWord !== '' && !tokens.includes(mainWord)) tokens.push(mainWord);
  if (perWord !== '' && !tokens.includes(perWord)) tokens.push('per', perWord);
  if (kind === 'counter') tokens = endingWith(tokens, 'total');
  if (kind === 'gauge' && unit.trim() === '1') tokens = endingWith(tokens, 'ratio');
  const name = tokens.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The tokens with `word` moved to the end (once), as the translator places type suffixes. */
function endingWith(tokens: readonly string[], word: string): string[] {
  return [...tokens.filter((token) => token !== word), word];
}

/** The Prometheus label name of an attribute key: every character but letters, digits and `_` escaped to `_`. */
function prometheusLabel(attribute: string): string {
  const label = attribute.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(label) ? `key_${label}` : label;
}

/**
 * The Prometheus names of the contract's instruments and attribute keys, for any prefix, as
 * Prometheus's OTLP receiver (the Collector path) and an app's `/metrics` both spell them. The
 * dashboards, the Prometheus source and the checked alert rules take their names from here.
 */
export function prometheusNames(prefix: string = DEFAULT_PREFIX) {
  const names = instrumentNames(prefix);
  const named = (key: keyof typeof INSTRUMENT_SHAPES) =>
    prometheusName(names[key], INSTRUMENT_SHAPES[key].unit, INSTRUMENT_SHAPES[key].kind);
  const duration = named('operationDuration');
  const responseTime = named('backendResponseTime');
  return {
    /** A native histogram: no _bucket, _sum or _count series (histogram_count(), histogram_sum()). */
    duration,
    retries: named('operationRetries'),
    queueSize: named('queueSize'),
    backendHealth: named('backendHealth'),
    responseTime,
    labels: {
      operationType: prometheusLabel(ATTR.operationType),
      backend: prometheusLabel(ATTR.backend),
      outcome: prometheusLabel(ATTR.outcome),
      status: prometheusLabel(ATTR.status),
      errorType: prometheusLabel(ATTR.errorType),
    },
  };
}
