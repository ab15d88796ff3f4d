// The process detector without what identifies a person or a secret: the full command line (and
// its arguments, which often carry tokens), the process owner and the executable's path (a home
// folder) are left out unless the app opts in (`processDetails: true`). The resource reaches
// every backend and every scraper of /metrics as target_info; the pid, the runtime and the
// executable's name stay, which is what dashboards and the semantic conventions use.
import { processDetector, type ResourceDetector } from '@opentelemetry/resources';

const PERSONAL = [
  'process.command',
  'process.command_line',
  'process.command_args',
  'process.owner',
  'process.executable.path',
] as const;

export function privateProcessDetector(): ResourceDetector {
  return {
    detect(config) {
      const detected = processDetector.detect(config);
      const attributes = { ...detected.attributes };
      for (const key of PERSONAL) delete attributes[key];
      return { ...detected, attributes };
    },
  };
}
