// Whether a sample passes a request's filter, in one place for every answer (query, series,
// realtime) of both sources. A filter on a dimension a sample's kind does not have (backend for
// the queue, status for retries) does not apply to it; a sample missing a label its kind has
// never matches a filter on that label. `status` means the outcome for operations and the queue
// state for the queue, and `retrying` selects the retries (it filters nothing else out of them).
import { QUEUE_STATUSES } from '../wal/contract.js';
import type { SeriesSample } from './snapshot.js';
import type { MetricFilter } from './types.js';

function isQueueStatus(status: string | undefined): boolean {
  return (QUEUE_STATUSES as readonly (string | undefined)[]).includes(status);
}

export function sampleMatches(sample: SeriesSample, filter: MetricFilter): boolean {
  const { labels } = sample;
  switch (sample.kind) {
    case 'duration':
      return (
        (filter.operationType === undefined || labels.type === filter.operationType) &&
        (filter.backend === undefined || labels.backend === filter.backend) &&
        (filter.status === undefined || labels.outcome === filter.status)
      );
    case 'retries':
      return (
        (filter.operationType === undefined || labels.type === filter.operationType) &&
        (filter.backend === undefined || labels.backend === filter.backend) &&
        !isQueueStatus(filter.status)
      );
    case 'queue':
      return filter.status === undefined || labels.status === filter.status;
    case 'health':
    case 'response':
      return filter.backend === undefined || labels.backend === filter.backend;
  }
}
