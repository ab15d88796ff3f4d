// A reason the service cannot start that the operator can fix (a setting, a file): the CLI prints
// its message alone and exits 1, without a stack trace.
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
