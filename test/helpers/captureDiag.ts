// Collects what the OpenTelemetry diag logger warns and errors, for tests that check a message is
// given (or not); call diag.disable() afterwards.
import { DiagLogLevel, diag } from '@opentelemetry/api';

export function captureDiag(): { warnings: string[]; errors: string[] } {
  const logged = { warnings: [] as string[], errors: [] as string[] };
  diag.setLogger(
    {
      warn: (message: string) => logged.warnings.push(message),
      error: (message: string) => logged.errors.push(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  return logged;
}
