// Unusual access in the last days: staff refused several times in a day, opening many records in a day,
// or opening records in the quiet hours. Each is a prompt to look, not a finding of wrongdoing.
import type { z } from 'zod';
import { formatDate } from '../../../src/core/dates.ts';
import { unusualAccess } from '../../../src/core/schemas/access.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';

export function UnusualAccessPage() {
  const unusual = useApi('/api/audit/unusual', unusualAccess);
  if (unusual.state === 'failed') return <ApiProblem error={unusual.error} />;
  if (unusual.state === 'loading') return <Loading what="unusual access" />;
  return <Unusual data={unusual.data} />;
}

function Unusual({ data }: { data: z.infer<typeof unusualAccess> }) {
  const { thresholds: t, findings } = data;
  useStatusMessage(`${findings.length} unusual access findings loaded`);
  const rule: Record<(typeof findings)[number]['rule'], (count: number) => string> = {
    denied: (n) => `Refused ${n} times in the day (${t.deniedPerDay} or more is unusual)`,
    'many-records': (n) =>
      `Opened ${n} people’s records in the day (more than ${t.recordsPerDay} is unusual)`,
    'quiet-hours': (n) => `Opened records ${n} times between ${t.quietHours}`,
    'by-nhs-number': (n) =>
      `Referred or nominated ${n} ${n === 1 ? 'person' : 'people'} by NHS number, which opens their record to the team`,
  };
  return (
    <>
      <PageHeading>Unusual access</PageHeading>
      <p className="nhsuk-body">
        Access in the last {t.days} days that is worth a look: staff refused {t.deniedPerDay} or more times in
        a day, opening more than {t.recordsPerDay} people’s records in a day, or opening records between{' '}
        {t.quietHours}. There may be a good reason; ask the person or their manager.
      </p>
      {findings.length === 0 ? (
        <p className="nhsuk-body">Nothing unusual in the last {t.days} days.</p>
      ) : (
        <ScrollTable captionId="unusual-caption">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="unusual-caption">
              Unusual access, newest day first
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Day
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Who
                </th>
                <th scope="col" className="nhsuk-table__header">
                  What was unusual
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {findings.map((f) => (
                <tr key={`${f.day}|${f.rule}|${f.username ?? f.actorName}`} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell app-nowrap">{formatDate(f.day)}</td>
                  <td className="nhsuk-table__cell">
                    {f.actorName}
                    {f.username ? <span className="app-code"> {f.username}</span> : null}
                    {f.role ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{f.role}</div> : null}
                  </td>
                  <td className="nhsuk-table__cell">{rule[f.rule](f.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
