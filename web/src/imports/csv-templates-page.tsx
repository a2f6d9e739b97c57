// The CSV templates, one for each layout the importer reads: what each holds, the columns every row
// must fill, and a download (the header row and one invented example row).
import { Link } from 'react-router';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { CSV_LAYOUT_INFO, requiredColumns, templateHref } from './csv-layouts.ts';

export function CsvTemplatesPage() {
  const place = usePlace();
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'loading') return <Loading what="the CSV templates" />;
  return <Templates placeId={place.data.place.id} />;
}

function Templates({ placeId }: { placeId: string }) {
  useStatusMessage('CSV templates loaded');
  return (
    <>
      <Link className="nhsuk-back-link" to="/imports">
        Back to imports
      </Link>
      <PageHeading>CSV templates</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p className="nhsuk-lede-text">
            Use these to send data from a system that cannot write FHIR. There is one template for each kind
            of file.
          </p>
          <p className="nhsuk-body">
            Each template has the row of column names and one example row. The example is invented, and its
            NHS number is from the range kept for testing. Delete the example row before you add your own.
          </p>
        </div>
      </div>
      <ScrollTable captionId="templates-caption">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="templates-caption">
            Templates
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Kind of file
              </th>
              <th scope="col" className="nhsuk-table__header">
                One row for each
              </th>
              <th scope="col" className="nhsuk-table__header">
                Columns every row must fill
              </th>
              <th scope="col" className="nhsuk-table__header">
                Template
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {CSV_LAYOUT_INFO.map((l) => (
              <tr key={l.layout} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__header">
                  {l.title}
                </th>
                <td className="nhsuk-table__cell">{l.eachRow}</td>
                <td className="nhsuk-table__cell">
                  <span className="app-code app-break-words">{requiredColumns(l.layout)}</span>
                </td>
                <td className="nhsuk-table__cell">
                  <a href={templateHref(placeId, l.layout)} download={`joinedup-${l.layout}.csv`}>
                    Download template (CSV)
                    <span className="nhsuk-u-visually-hidden"> for {l.title.toLowerCase()}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <h2 className="nhsuk-heading-m">Rules for every CSV file</h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ul className="nhsuk-list nhsuk-list--bullet">
            <li>The first row is the column names. Columns can be in any order.</li>
            <li>
              Name each person by their NHS number, or by your own id for them (<code>person_id</code>) when
              there is no NHS number.
            </li>
            <li>
              Write dates as YYYY-MM-DD, for example 2024-03-02 for 2 March 2024. Other dates are refused, not
              guessed.
            </li>
            <li>
              In Excel, format NHS numbers and SNOMED CT codes as Text, so that no digits are lost, and save
              as CSV UTF-8 (comma delimited).
            </li>
            <li>
              Row numbers in problems count the row of column names as row 1, as Excel does, so row 12 in a
              problem is row 12 in Excel.
            </li>
          </ul>
          <p className="nhsuk-body">
            When a file is ready, <Link to="/imports">import it</Link>.
          </p>
        </div>
      </div>
    </>
  );
}
