// The in-process source's answering side: folding snapshots on a step grid into query, series and
// realtime answers. InProcessSource imports it on its first read, not at start: initTelemetry
// builds the source in every app, most apps record long before anything asks, and these modules
// were a tenth of the kit's start-up imports (BENCHMARKS.md, "Start-up").
export { answerQuery, answerRealtime, answerSeries } from './answer.js';
export { resolveRange } from './range.js';
export { endAlignedWindows, seriesWindows, stepFor } from './steps.js';
export { snapshotsOnWindows } from './windows.js';
