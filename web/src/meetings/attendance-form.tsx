// Who attended the meeting, recorded by the chair: the team's practitioners grouped by agency, ticked if
// they came (those not ticked sent apologies), and anyone from another team who joined. Saving replaces
// what was recorded before.
import { useState } from 'react';
import type { Organisation, PractitionerOut } from '../../../src/core/schemas/case.ts';
import { type AttendeeOut, attendanceList } from '../../../src/core/schemas/mdt.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { asApiError, caseProblems } from '../cases/problems.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { Checkboxes } from '../components/radios.tsx';

/** Practitioners grouped by their agency, agencies in the order the organisation lists them. */
function byAgency(org: Organisation, practitioners: PractitionerOut[]) {
  return org.agencies
    .map((agency) => ({ agency, practitioners: practitioners.filter((p) => p.agencyId === agency.id) }))
    .filter((g) => g.practitioners.length > 0);
}

export function AttendanceForm({
  placeId,
  meetingId,
  teamId,
  attendance,
  org,
  setProblems,
  onSaved,
}: {
  placeId: string;
  meetingId: string;
  teamId: string;
  attendance: AttendeeOut[];
  org: Organisation;
  setProblems: (problems: FormProblem[]) => void;
  onSaved: (message: string) => Promise<void>;
}) {
  const [attended, setAttended] = useState<string[]>(() =>
    attendance.filter((a) => a.attended).map((a) => a.practitioner.id),
  );
  const [isSaving, setSaving] = useState(false);
  const recorded = new Set(attendance.map((a) => a.practitioner.id));
  const team = org.practitioners.filter((p) => p.teamId === teamId);
  const others = org.practitioners.filter((p) => p.teamId !== teamId);
  const othersRecorded = others.filter((p) => recorded.has(p.id) || attended.includes(p.id));
  // Open at first when someone from another team is recorded; after that it opens and shuts as the user says.
  const [isOthersOpen] = useState(othersRecorded.length > 0);

  async function submit() {
    setProblems([]);
    setSaving(true);
    // The team's members are expected: each came or sent apologies. Others count once ticked or recorded.
    const attendees = [...team, ...othersRecorded].map((p) => ({
      practitionerId: p.id,
      attended: attended.includes(p.id),
    }));
    try {
      const saved = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meetingId}/attendance`,
        attendanceList,
        undefined,
        { method: 'PUT', body: { attendees } },
      );
      const present = saved.attendance.filter((a) => a.attended).length;
      const apologies = saved.attendance.length - present;
      await onSaved(`Attendance saved: ${present} present, ${apologies} sent apologies.`);
    } catch (e) {
      setProblems(caseProblems(asApiError(e)));
    } finally {
      setSaving(false);
    }
  }

  const groups = (
    practitioners: PractitionerOut[],
    prefix: string,
    labelOf: (p: PractitionerOut) => string,
  ) =>
    byAgency(org, practitioners).map(({ agency, practitioners: people }) => (
      <Checkboxes
        key={agency.id}
        id={`${prefix}-${agency.id}`}
        legend={titleCaseOdsName(agency.name)}
        values={attended}
        onChange={(values) => setAttended(values)}
        options={people.map((p) => ({ value: p.id, label: labelOf(p) }))}
      />
    ));

  return (
    <form
      className="app-print-hidden"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="nhsuk-heading-m" id="attendance-heading">
        Attendance
      </h2>
      <p className="nhsuk-body">
        Tick everyone who attended. Members of the team you do not tick are recorded as sending apologies.
      </p>
      {groups(team, 'attendance', (p) => p.title)}
      <details className="nhsuk-details" open={isOthersOpen}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Someone from another team attended</span>
        </summary>
        <div className="nhsuk-details__text">{groups(others, 'attendance-other', (p) => p.label)}</div>
      </details>
      <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={isSaving}>
        Save attendance
      </button>
    </form>
  );
}
