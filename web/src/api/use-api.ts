// Load one API resource for a page. Aborts when the page goes away or the URL changes.
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import { fetchJson } from './fetch-json.ts';

export type Loaded<T> =
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'ready'; data: T; error?: undefined }
  | { state: 'failed'; data?: undefined; error: ApiError };

/** `url` null means "not yet": the hook stays loading until it has a URL. */
export function useApi<T extends z.ZodType>(url: string | null, schema: T): Loaded<z.infer<T>> {
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
        if (controller.signal.aborted) return;
        const error =
          e instanceof ApiError ? e : new ApiError('Something went wrong. Try reloading the page.', 0, null);
        setResult({ url, loaded: { state: 'failed', error } });
      },
    );
    return () => controller.abort();
  }, [url, schema]);

  // A result for an earlier URL is stale: show loading until the new one arrives.
  return result.url === url && url !== null ? result.loaded : { state: 'loading' };
}
