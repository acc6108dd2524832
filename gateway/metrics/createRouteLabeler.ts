/**
 * The `route` label of a request: its path when the gateway serves that path, the pattern for
 * paths with ids in them, `unmatched` otherwise. Label values must stay few; a client choosing
 * paths must not be able to create series.
 */
export function createRouteLabeler(paths: Iterable<string>, patterns: ReadonlyArray<readonly [pattern: RegExp, route: string]> = []): (path: string) => string {
  const exact = new Set(paths);
  return (path) => {
    if (exact.has(path)) return path;
    return patterns.find(([pattern]) => pattern.test(path))?.[1] ?? 'unmatched';
  };
}
