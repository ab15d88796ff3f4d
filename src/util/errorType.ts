// `error.type` as the semantic conventions define it: the error's class name (or code), `_OTHER`
// when nothing better is known — low-cardinality and predictable, never a free message. A string
// thrown or passed as an error is used only when it reads as a type or code (`ETIMEDOUT`,
// `BackendError`): a message ("could not reach s3://bucket/key 42") would make a series of its own
// for every operation. Shared by the recorder and the span helpers.
const TYPE_LIKE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

const typeLike = (value: unknown): value is string => typeof value === 'string' && TYPE_LIKE.test(value);

export function errorTypeOf(error: unknown): string {
  if (typeLike(error)) return error;
  if (error instanceof Error) {
    if (error.name && error.name !== 'Error' && typeLike(error.name)) return error.name;
    const code = (error as { code?: unknown }).code;
    if (typeLike(code)) return code;
    const constructorName = error.constructor?.name;
    return typeLike(constructorName) ? constructorName : 'Error';
  }
  return '_OTHER';
}
