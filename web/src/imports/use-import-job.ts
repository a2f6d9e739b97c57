// One import job, asked again every second while it runs, until it has finished, failed or stopped.
// A check that fails once the job has been shown is tried again a little later rather than replacing
// the page with an error.
import { useEffect, useState } from 'react';
import { type ImportJobView, importJob } from '../../../src/core/schemas/exchange.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import type { Loaded } from '../api/use-api.ts';

export const POLL_MS = 1000;
const RETRY_MS = 3000;

export function useImportJob(url: string | null): Loaded<ImportJobView> {
  const [result, setResult] = useState<{ url: string | null; loaded: Loaded<ImportJobView> }>({
    url,
    loaded: { state: 'loading' },
  });

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hasShown = false;
    const load = async () => {
      try {
        const job = await fetchJson(url, importJob, controller.signal);
        hasShown = true;
        setResult({ url, loaded: { state: 'ready', data: job } });
        if (job.status === 'running') timer = setTimeout(load, POLL_MS);
      } catch (e) {
        if (controller.signal.aborted) return;
        if (hasShown && !(e instanceof ApiError && e.status === 404)) {
          timer = setTimeout(load, RETRY_MS);
          return;
        }
        const error =
          e instanceof ApiError ? e : new ApiError('Something went wrong. Try reloading the page.', 0, null);
        setResult({ url, loaded: { state: 'failed', error } });
      }
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [url]);

  return result.url === url && url !== null ? result.loaded : { state: 'loading' };
}
