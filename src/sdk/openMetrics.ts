// Converts the Prometheus text format (0.0.4) produced by the OpenTelemetry serializer into
// OpenMetrics 1.0 text: counter families are named without `_total` (their samples keep it),
// `untyped` becomes `unknown`, and the exposition ends with `# EOF`.

export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const COMMENT = /^# (HELP|TYPE) (\S+)(?: (.*))?$/;

export function toOpenMetrics(prometheusText: string): string {
  const counters = new Set<string>();
  for (const line of prometheusText.split('\n')) {
    const match = COMMENT.exec(line);
    if (match?.[1] === 'TYPE' && match[3] === 'counter') counters.add(match[2] as string);
  }
  const out: string[] = [];
  for (const line of prometheusText.split('\n')) {
    if (line === '') continue;
    const match = COMMENT.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const [, kind, name = '', rest = ''] = match;
    const family = counters.has(name) ? name.replace(/_total$/, '') : name;
    const value = kind === 'TYPE' && rest === 'untyped' ? 'unknown' : rest;
    out.push(`# ${kind} ${family}${value === '' ? '' : ` ${value}`}`);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

/** True when the Accept header prefers OpenMetrics (as Prometheus asks for exemplars). */
export function wantsOpenMetrics(accept: string | null | undefined): boolean {
  return typeof accept === 'string' && accept.includes('application/openmetrics-text');
}
