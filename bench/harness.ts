// Side-by-side micro-benchmarks: every variant runs in the same process and the same rounds,
// interleaved (the order rotates each round), so machine noise hits them alike. What is reported
// is the ratio to a baseline per round — median and min–max — plus absolute ns/op for this machine.

export interface Variant {
  name: string;
  run: () => void;
}

export interface ComparisonResult {
  title: string;
  baseline: string;
  rows: Array<{ name: string; nsPerOp: number; ratioMedian: number; ratioMin: number; ratioMax: number }>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function timeBatch(run: () => void, iterations: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  return Number(process.hrtime.bigint() - started) / iterations;
}

export function compare(
  title: string,
  baseline: Variant,
  others: Variant[],
  options: { iterations: number; rounds: number; warmup?: number },
): ComparisonResult {
  const variants = [baseline, ...others];
  for (const v of variants) timeBatch(v.run, options.warmup ?? Math.ceil(options.iterations / 2));
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
    for (const v of order) samples.get(v.name)?.push(timeBatch(v.run, options.iterations));
  }
  const base = samples.get(baseline.name) as number[];
  return {
    title,
    baseline: baseline.name,
    rows: variants.map((v) => {
      const ns = samples.get(v.name) as number[];
      const ratios = ns.map((value, round) => value / (base[round] as number));
      return {
        name: v.name,
        nsPerOp: median(ns),
        ratioMedian: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
      };
    }),
  };
}

export function formatTable(result: ComparisonResult): string {
  const lines = [
    `### ${result.title}`,
    '',
    `| variant | ratio to ${result.baseline} (median) | min–max over rounds | ns/op (this machine) |`,
    '|---|---|---|---|',
    ...result.rows.map(
      (r) =>
        `| ${r.name} | ${r.ratioMedian.toFixed(2)}× | ${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)} | ${r.nsPerOp.toFixed(0)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
