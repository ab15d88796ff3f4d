// Collects what the OpenTelemetry diag logger warns, for tests that check a warning is given (or
// not); call diag.disable() afterwards.
import { DiagLogLevel, diag } from '@opentelemetry/api';

export function captureDiagWarnings(): string[] {
  const warnings: string[] = [];
  diag.setLogger(
    {
      warn: (message: string) => warnings.push(message),
      error: () => {},
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  return warnings;
}
