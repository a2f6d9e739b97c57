// Adding a staff account: how a deployment gets its users (`joinedup staff add`), checked before
// anything is written. A password makes a local account; an OpenID Connect issuer and subject link
// the account to the organisation's sign-in; an account may have both.
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
  await db
    .insertInto('staff_user')
    .values({
      id,
      place_id: s.placeId,
      username,
      display_name: s.name.trim(),
      role,
      team_id: s.teamId ?? null,
      practice_code: s.practiceCode ?? null,
      password_hash: s.password ? await hashPassword(s.password) : null,
      oidc_issuer: s.oidcIssuer ?? null,
      oidc_subject: s.oidcSubject ?? null,
    })
    .execute();
  return id;
}
