// Refer a person to an Integrated Neighbourhood Team: from the person's record or a worklist decision
// (the person is then chosen already), or by NHS number; who is asking (a professional, or the person or
// their family, named); why; and how urgent. The signed-in member of staff's own team is chosen first.
import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import type { Organisation, REFERRAL_SOURCES } from '../../../src/core/schemas/case.ts';
import { personDetail, personIdParam } from '../../../src/core/schemas/person.ts';
import { mayOpen } from '../access/pages.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { Loading } from '../components/loading.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Radios } from '../components/radios.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { nhsNumberShown } from './case-parts.tsx';
import { asApiError, caseProblems, errorsById } from './problems.ts';
import { type TeamRef, teamsOf, useMyTeam, useOrganisation } from './team.ts';

type Source = (typeof REFERRAL_SOURCES)[number];

/** What the page says once a referral is sent (kept in the navigation's state). */
interface SentReferral {
  teamId: string;
  teamName: string;
  personName: string | null;
}

/** The person the referral is about, when the page was opened for one. */
interface Chosen {
  id: string;
  name: string;
  nhsNumber: string | null;
}

export function ReferPage() {
  const [search] = useSearchParams();
  const { key, state } = useLocation();
  const sent = (state as { sent?: SentReferral } | null)?.sent ?? null;
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const askedPerson = search.get('personId');
  const personId = askedPerson && personIdParam.safeParse(askedPerson).success ? askedPerson : null;
  const worklistId = z.uuid().safeParse(search.get('worklistId')).success ? search.get('worklistId') : null;
  const org = useOrganisation();
  const myTeam = useMyTeam();
  const person = useApi(
    placeId && personId ? `/api/places/${encodeURIComponent(placeId)}/people/${personId}` : null,
    personDetail,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (askedPerson && !personId)
    return <NotFoundPage what="There is no one with this web address in Joined Up." />;
  if (person.state === 'failed')
    return person.error.isNotFound ? (
      <NotFoundPage what="There is no record you can see for this person. You can refer someone by their NHS number from the referral form." />
    ) : (
      <ApiProblem error={person.error} />
    );
  for (const loaded of [org, myTeam])
    if (loaded.state === 'failed') return <ApiProblem error={loaded.error} />;
  if (!placeId || org.state !== 'ready' || myTeam.state !== 'ready' || (personId && person.state !== 'ready'))
    return <Loading what="the referral form" />;
  if (sent) return <Sent sent={sent} isOwnTeam={sent.teamId === myTeam.data?.id} />;
  const chosen =
    person.state === 'ready'
      ? {
          id: person.data.person.id,
          name: `${person.data.person.givenName} ${person.data.person.familyName}`,
          nhsNumber: person.data.person.nhsNumber,
        }
      : null;
  return (
    <ReferForm
      key={key}
      placeId={placeId}
      org={org.data}
      myTeam={myTeam.data}
      chosen={chosen}
      worklistId={worklistId}
    />
  );
}

function ReferForm({
  placeId,
  org,
  myTeam,
  chosen,
  worklistId,
}: {
  placeId: string;
  org: Organisation;
  myTeam: TeamRef | null;
  chosen: Chosen | null;
  worklistId: string | null;
}) {
  const { user } = useSignedIn();
  const teams = teamsOf(org);
  const [teamId, setTeamId] = useState(myTeam?.id ?? '');
  const [nhsNumber, setNhsNumber] = useState('');
  const [source, setSource] = useState<Source | ''>(worklistId ? 'worklist' : '');
  const [referrer, setReferrer] = useState('');
  const [reason, setReason] = useState('');
  const [urgency, setUrgency] = useState<'routine' | 'urgent'>('routine');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const navigate = useNavigate();
  const location = useLocation();
  const errors = errorsById(problems);
  const title = chosen ? `Refer ${chosen.name} to an Integrated Neighbourhood Team` : 'Refer a person';
  useStatusMessage(`${title}: ready`);

  async function submit() {
    setProblems([]);
    if (source === '') {
      setProblems([{ fieldId: 'source', message: 'Say who is asking for the referral' }]);
      return;
    }
    const body = {
      teamId,
      ...(chosen ? { personId: chosen.id } : { nhsNumber }),
      source,
      ...(source === 'worklist' && worklistId ? { worklistId } : {}),
      ...(source === 'self-or-family' ? { referrer } : {}),
      reason,
      urgency,
    };
    try {
      await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/referrals`,
        z.object({ id: z.string() }),
        undefined,
        {
          method: 'POST',
          body,
        },
      );
      const sent: SentReferral = {
        teamId,
        teamName: teams.find((t) => t.id === teamId)?.name ?? teamId,
        personName: chosen?.name ?? null,
      };
      navigate(`${location.pathname}${location.search}`, { state: { sent } });
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          teamId: { id: 'team', label: 'Team' },
          nhsNumber: { id: 'nhs-number', label: 'NHS number' },
          personId: { id: 'nhs-number', label: 'Person' },
          source: { id: 'source', label: 'Who is asking' },
          worklistId: { id: 'source', label: 'Worklist' },
          referrer: { id: 'referrer', label: 'Who is asking for the referral' },
          reason: { id: 'reason', label: 'Reason for the referral' },
          urgency: { id: 'urgency', label: 'Urgency' },
        }),
      );
    }
  }

  const sources = [
    ...(worklistId
      ? [
          {
            value: 'worklist' as const,
            label: 'The team, from a case-finding worklist',
            hint: `You are named as the referrer: ${user.name}`,
          },
        ]
      : []),
    {
      value: 'practitioner' as const,
      label: 'Me, as a professional',
      hint: `You are named as the referrer: ${user.name}`,
    },
    {
      value: 'self-or-family' as const,
      label: 'The person or their family',
      reveals: (
        <TextField
          id="referrer"
          label="Who is asking for the referral"
          hint="For example, the person themselves, or their daughter Jane Smith"
          error={errors.get('referrer')}
          value={referrer}
          onChange={setReferrer}
        />
      ),
    },
  ];

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        The team looks at every referral and decides whether to take it. Mark it urgent if the person needs
        help soon, and say why in the reason.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <SelectField
          id="team"
          label="Integrated Neighbourhood Team"
          hint="The team for the neighbourhood where the person lives"
          error={errors.get('team')}
          value={teamId}
          onChange={setTeamId}
          placeholder={myTeam ? undefined : 'Choose a team'}
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
        />
        {chosen ? (
          <div className="nhsuk-form-group">
            <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">Person</h2>
            <p className="nhsuk-body nhsuk-u-margin-bottom-1">
              {chosen.name}, NHS number {nhsNumberShown(chosen.nhsNumber) ?? 'not known'}
            </p>
            <p className="nhsuk-body-s">
              <Link to="/refer">Refer someone else</Link>
            </p>
          </div>
        ) : (
          <NhsNumberField
            id="nhs-number"
            error={errors.get('nhs-number')}
            value={nhsNumber}
            onChange={setNhsNumber}
          />
        )}
        <Radios
          id="source"
          legend="Who is asking for the referral?"
          legendSize="s"
          error={errors.get('source')}
          value={source}
          onChange={setSource}
          options={sources}
        />
        <TextField
          id="reason"
          label="Reason for the referral"
          hint="What is happening, what matters to the person, and what you hope the team can do"
          error={errors.get('reason')}
          rows={5}
          value={reason}
          onChange={setReason}
        />
        <Radios
          id="urgency"
          legend="How urgent is it?"
          legendSize="s"
          error={errors.get('urgency')}
          value={urgency}
          onChange={setUrgency}
          isInline
          options={[
            { value: 'routine', label: 'Routine' },
            { value: 'urgent', label: 'Urgent' },
          ]}
        />
        <button type="submit" className="nhsuk-button">
          Send referral
        </button>
      </form>
    </>
  );
}

function Sent({ sent, isOwnTeam }: { sent: SentReferral; isOwnTeam: boolean }) {
  const { user } = useSignedIn();
  useStatusMessage('Referral sent');
  return (
    <>
      <div className="nhsuk-panel">
        <PageHeading className="nhsuk-panel__title">Referral sent</PageHeading>
        <div className="nhsuk-panel__body">
          {sent.personName ?? 'The person'} has been referred to the {sent.teamName}.
        </div>
      </div>
      <h2 className="nhsuk-heading-m">What happens next</h2>
      <p className="nhsuk-body">
        The team will triage the referral: they accept it and name a lead professional, or decline it and say
        why.
      </p>
      <ul className="nhsuk-list">
        {isOwnTeam && mayOpen(user.role, 'referrals') ? (
          <li>
            <Link to="/referrals">See your team’s referrals</Link>
          </li>
        ) : null}
        <li>
          <Link to="/refer">Refer another person</Link>
        </li>
      </ul>
    </>
  );
}
