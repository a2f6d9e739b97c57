// Load one API resource for a page that changes it: as useApi, and `reload()` fetches it again after a
// save, keeping what is shown until the new answer arrives (so focus and scroll stay where they were).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import type { Loaded } from '../api/use-api.ts';

const asApiError = (e: unknown) =>
  e instanceof ApiError ? e : new ApiError('Something went wrong. Try reloading the page.', 0, null);

export function useReloadableApi<T extends z.ZodType>(
  url: string | null,
  schema: T,
): { loaded: Loaded<z.infer<T>>; reload: () => Promise<void> } {
  const [result, setResult] = useState<{ url: string | null; loaded: Loaded<z.infer<T>> }>({
    url,
    loaded: { state: 'loading' },
  });

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    fetchJson(url, schema, controller.signal).then(
      (data) => setResult({ url, loaded: { state: 'ready', data } }),
      (e: unknown) => {
        if (!controller.signal.aborted) setResult({ url, loaded: { state: 'failed', error: asApiError(e) } });
      },
    );
    return () => controller.abort();
  }, [url, schema]);

  // The address the page shows now: a reload answered after the page moved on is not shown.
  const current = useRef(url);
  current.current = url;
  const reload = useCallback(async () => {
    if (url === null) return;
    const settle = (loaded: Loaded<z.infer<T>>) => {
      if (current.current === url) setResult({ url, loaded });
    };
    try {
      settle({ state: 'ready', data: await fetchJson(url, schema) });
    } catch (e) {
      settle({ state: 'failed', error: asApiError(e) });
    }
  }, [url, schema]);

  return { loaded: result.url === url && url !== null ? result.loaded : { state: 'loading' }, reload };
}
