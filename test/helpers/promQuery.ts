// An instant PromQL query against a real Prometheus's HTTP API; a failed query is an error that
// quotes Prometheus's answer.

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export async function promQuery(base: string, expr: string): Promise<PromSample[]> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (body.status !== 'success' || !body.data)
    throw new Error(`query ${expr}: ${body.error ?? response.status}`);
  return body.data.result;
}

/** The query's single value (0 when it has no result). */
export async function promValue(base: string, expr: string): Promise<number> {
  const [first] = await promQuery(base, expr);
  return first ? Number(first.value[1]) : 0;
}
