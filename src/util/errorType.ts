// `error.type` as the semantic conventions define it: the error's class name (or code), `_OTHER`
// when nothing better is known. Shared by the recorder and the span helpers.
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'string' && error !== '') return error;
  if (error instanceof Error) {
    if (error.name && error.name !== 'Error') return error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    return error.constructor?.name || 'Error';
  }
  return '_OTHER';
}
