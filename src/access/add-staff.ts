// Adding a staff account: how a deployment gets its users (`joinedup staff add`), checked before
// anything is written. A password makes a local account; an OpenID Connect issuer and subject link
// the account to the organisation's sign-in; an account may have both. The account can be linked to a
// practitioner of the place pack (one account per practitioner) and given the agency it works for.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError, type Problem } from '../core/errors.ts';
import type { Database, Role } from '../db/database.ts';
import { hashPassword } from './password.ts';
import { ALL_ROLES, ROLES } from './roles.ts';

/** A local password must be at least this long (NCSC: length over complexity). */
export const MIN_PASSWORD_LENGTH = 12;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export interface NewStaff {
  placeId: string;
  username: string;
  name: string;
  role: string;
  teamId?: string;
  practiceCode?: string;
  /** The agency they work for; by default their practitioner's agency, if any. */
  agencyId?: string;
  /** Their practitioner record in the place pack. */
  practitionerId?: string;
  password?: string;
  oidcIssuer?: string;
  oidcSubject?: string;
}

export async function addStaffAccount(db: Kysely<Database>, s: NewStaff): Promise<string> {
  const problems: Problem[] = [];
  const problem = (field: string, diagnostics: string) => problems.push({ diagnostics, expression: [field] });
  const username = s.username.trim().toLowerCase();
  if (!USERNAME.test(username))
    problem(
      'username',
      'The username must be 2 to 63 lower-case letters, digits, dots, dashes or underscores.',
    );
  if (s.name.trim() === '') problem('name', 'Give the person’s name as colleagues know it.');
  const role = s.role as Role;
  if (!ALL_ROLES.includes(role)) problem('role', `The role must be one of: ${ALL_ROLES.join(', ')}.`);
  else if (ROLES[role].scope === 'team' && !s.teamId)
    problem('team', `A ${ROLES[role].title} belongs to a team: give --team.`);
  else if (ROLES[role].scope === 'practice' && !s.practiceCode)
    problem('practice', `${ROLES[role].title} belong to a practice: give --practice with its ODS code.`);
  if (s.teamId) {
    const team = await db
      .selectFrom('team')
      .select('id')
      .where('place_id', '=', s.placeId)
      .where('id', '=', s.teamId)
      .executeTakeFirst();
    if (!team) problem('team', `${s.placeId} has no team "${s.teamId}" (see "joinedup place show").`);
  }
  if (s.practiceCode) {
    const practice = await db
      .selectFrom('practice')
      .select('ods_code')
      .where('place_id', '=', s.placeId)
      .where('ods_code', '=', s.practiceCode)
      .executeTakeFirst();
    if (!practice) problem('practice', `${s.placeId} has no GP practice with ODS code "${s.practiceCode}".`);
  }
  if (s.agencyId) {
    const agencies = await db
      .selectFrom('agency')
      .select(['id', 'kind'])
      .where('place_id', '=', s.placeId)
      .orderBy('id')
      .execute();
    // The pack's agencies first, then the GP practices by ODS code.
    const ids = [
      ...agencies.filter((a) => a.kind !== 'gp-practice'),
      ...agencies.filter((a) => a.kind === 'gp-practice'),
    ].map((a) => a.id);
    if (!ids.includes(s.agencyId))
      problem(
        'agency',
        `--agency "${s.agencyId}" is not an agency of ${s.placeId}. Use one of: ${ids.join(', ') || '(none: load the place pack first)'}.`,
      );
  }
  const practitioner = s.practitionerId
    ? await db
        .selectFrom('practitioner as p')
        .leftJoin('staff_user as u', 'u.id', 'p.staff_user_id')
        .select(['p.id', 'p.team_id', 'p.agency_id', 'u.username'])
        .where('p.place_id', '=', s.placeId)
        .where('p.id', '=', s.practitionerId)
        .executeTakeFirst()
    : undefined;
  if (s.practitionerId && !practitioner)
    problem(
      'practitioner',
      `--practitioner "${s.practitionerId}" is not a practitioner of ${s.placeId} (ids are the team and role, such as int-east-care-coordinator).`,
    );
  else if (practitioner?.username)
    problem(
      'practitioner',
      `--practitioner "${practitioner.id}" is already linked to the account "${practitioner.username}".`,
    );
  else if (practitioner?.team_id && s.teamId && practitioner.team_id !== s.teamId)
    problem(
      'practitioner',
      `--practitioner "${practitioner.id}" is in the team "${practitioner.team_id}", not "${s.teamId}".`,
    );
  if (s.password !== undefined && s.password.length < MIN_PASSWORD_LENGTH)
    problem('password', `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (!s.password && !(s.oidcIssuer && s.oidcSubject))
    problem(
      'password',
      'Give a password (JOINEDUP_STAFF_PASSWORD) or an OpenID Connect issuer and subject, or both.',
    );
  if (Boolean(s.oidcIssuer) !== Boolean(s.oidcSubject))
    problem('oidc-subject', 'Give both the OpenID Connect issuer and the subject, or neither.');
  const taken = await db
    .selectFrom('staff_user')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (taken) problem('username', `There is already an account "${username}".`);
  if (problems.length > 0)
    throw new AppError(
      'invalid',
      problems.length === 1 ? (problems[0]?.diagnostics ?? '') : 'The account has problems.',
      problems,
    );

  const id = randomUUID();
  const passwordHash = s.password ? await hashPassword(s.password) : null;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('staff_user')
      .values({
        id,
        place_id: s.placeId,
        username,
        display_name: s.name.trim(),
        role,
        team_id: s.teamId ?? null,
        practice_code: s.practiceCode ?? null,
        agency_id: s.agencyId ?? practitioner?.agency_id ?? null,
        password_hash: passwordHash,
        oidc_issuer: s.oidcIssuer ?? null,
        oidc_subject: s.oidcSubject ?? null,
      })
      .execute();
    if (practitioner) {
      const linked = await tx
        .updateTable('practitioner')
        .set({ staff_user_id: id })
        .where('place_id', '=', s.placeId)
        .where('id', '=', practitioner.id)
        .where('staff_user_id', 'is', null)
        .executeTakeFirst();
      if (linked.numUpdatedRows === 0n) {
        const diagnostics = `--practitioner "${practitioner.id}" was linked to another account meanwhile; nothing was added.`;
        throw new AppError('conflict', diagnostics, [{ diagnostics, expression: ['practitioner'] }]);
      }
    }
  });
  return id;
}
