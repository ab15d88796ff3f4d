// `npm run bench` (or `npm run bench -- --quick`): runs the side-by-side benchmarks and prints
// Markdown tables of ratios (median and min–max over rounds) with this machine's ns/op.
import { cpus, totalmem } from 'node:os';
import { formatTable } from './harness.js';
import { propagationBenchmarks, recorderBenchmarks, spanBenchmarks } from './hotPaths.js';

const quick = process.argv.includes('--quick');
const options = quick ? { iterations: 20_000, rounds: 5 } : { iterations: 50_000, rounds: 11 };

console.log(`# wal-telemetry benchmarks${quick ? ' (quick)' : ''}`);
console.log('');
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${options.rounds} rounds of ${options.iterations} operations per variant, interleaved.`,
);
console.log('');
for (const group of [recorderBenchmarks, spanBenchmarks, propagationBenchmarks]) {
  for (const result of group(options)) console.log(formatTable(result));
}
