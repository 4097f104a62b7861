/** Builds a value on first call and keeps it: the one memoiser for things built once per cold start. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
