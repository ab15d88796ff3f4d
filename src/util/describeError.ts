// One line of text for an error of any shape, for warnings and stats: the message, with a
// system error's code in front when the message does not already name it (ECONNREFUSED: …).
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
