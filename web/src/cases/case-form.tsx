// The frame of a form about one case: the error summary first, a link back to the case, the page's one
// heading, then the form. Saving sends the body; on success the case page says what was done, and on
// failure every problem is linked to its field. A 409 says plainly that someone else saved first, and
// the form keeps what was typed.
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import { fetchJson, type Send } from '../api/fetch-json.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { caseHref } from './case-loader.tsx';
import { asApiError, type CaseFormFields, caseProblems, errorsById } from './problems.ts';

export interface CaseFormApi {
  /** Field id → its message, for the message beside each field. */
  errors: Map<string, string>;
}

/** A stale version in words: who should do what, with the current version named. */
export function staleMessage(kind: 'case' | 'plan', serverMessage: string): string {
  const current = /version (\d+) is the current one/.exec(serverMessage)?.[1];
  return `Someone else saved this ${kind} while you were working on it${current ? ` (it is now at version ${current})` : ''}. Nothing you typed has been saved or lost: copy anything you need, then reload the page to start from their version.`;
}

export function CaseForm<T extends z.ZodType>({
  caseId,
  title,
  intro,
  submitText,
  url,
  method,
  body,
  response,
  fields,
  kind,
  done,
  children,
}: {
  caseId: string;
  title: string;
  intro?: ReactNode;
  submitText: string;
  url: string;
  method: Send['method'];
  /** The body to send, or problems to show instead of sending. */
  body: () => { send: unknown } | { problems: FormProblem[] };
  response: T;
  fields: CaseFormFields;
  /** What a version conflict is about, for forms that send one. */
  kind?: 'case' | 'plan';
  /** What the case page says after saving. */
  done: (saved: z.infer<T>) => string;
  children: (api: CaseFormApi) => ReactNode;
}) {
  const navigate = useNavigate();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isSaving, setSaving] = useState(false);
  useStatusMessage(`${title}: ready`);

  async function submit() {
    setProblems([]);
    const sending = body();
    if ('problems' in sending) {
      setProblems(sending.problems);
      return;
    }
    setSaving(true);
    try {
      const saved = await fetchJson(url, response, undefined, { method, body: sending.send });
      navigate(caseHref(caseId), { state: { notice: done(saved) } });
    } catch (e) {
      const error = asApiError(e);
      setProblems(
        error.isConflict && kind
          ? [{ fieldId: null, message: staleMessage(kind, error.message) }]
          : caseProblems(error, fields),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to={caseHref(caseId)}>
        Back to the case
      </Link>
      <PageHeading>{title}</PageHeading>
      {intro}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {children({ errors: errorsById(problems) })}
        <button type="submit" className="nhsuk-button" disabled={isSaving}>
          {submitText}
        </button>
      </form>
    </>
  );
}
