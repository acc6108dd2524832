import { useEffect, useRef, useState } from 'preact/hooks';
import type { CatalogOperation } from './catalogQueries.js';
import { CatalogRequestError, requestCatalog } from './requestCatalog.js';

/**
 * What a page has of its data: each state renders differently, and only `done` has data.
 * While a newer request runs, `previous` keeps the last answer, so a list does not blank out
 * between keystrokes.
 */
export type QueryState<TData> = { state: 'loading'; previous: TData | null } | { state: 'failed'; message: string } | { state: 'done'; data: TData };

/**
 * Runs the operation when the component mounts and whenever the variables change (compared as
 * JSON), dropping the answer of a request overtaken by a newer one. An answer is reported only
 * for the variables it was asked with: the render that follows new variables already says
 * `loading`, never the old answer as `done`. A signed-out session reloads the page, which the
 * gateway answers with its sign-in form.
 */
export function useCatalogQuery<TData, TVariables>(operation: CatalogOperation<TData, TVariables>, variables: TVariables): QueryState<TData> {
  const key = JSON.stringify(variables);
  const last = useRef<TData | null>(null);
  const [result, setResult] = useState<{ key: string; state: QueryState<TData> } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    requestCatalog(operation, JSON.parse(key) as TVariables, controller.signal).then(
      (data) => {
        last.current = data;
        setResult({ key, state: { state: 'done', data } });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof CatalogRequestError && error.failure.kind === 'signed-out') {
          window.location.reload();
          return;
        }
        setResult({ key, state: { state: 'failed', message: error instanceof Error ? error.message : String(error) } });
      },
    );
    return () => controller.abort();
  }, [operation, key]);
  return result?.key === key ? result.state : { state: 'loading', previous: last.current };
}
