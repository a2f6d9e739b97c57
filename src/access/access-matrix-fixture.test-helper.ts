// The security test's fixture (access-matrix.int.test.ts): who calls, what a call is, what each route's
// case predicts, and the records the cases pick by position. The cases themselves are in
// matrix-cases-lists, matrix-cases-care and matrix-cases-oversight (.test-helper.ts), in the matrix's order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import type { Db } from '../db/create-db.ts';
import type { Role } from '../db/database.ts';
import { directoryId } from '../directory/directory.ts';
import { editableService } from '../directory/directory-edit.store.ts';
import { addTestService, insertServiceReferral } from '../directory/service-referral.test-helper.ts';
import { importFile } from '../exchange/import-run.ts';
import type { App } from '../server/app-types.ts';
import { type Resident, randomId, type Session, type World } from './access-fixtures.test-helper.ts';

export type Scenario = 'own' | 'other' | 'none';
export const SCENARIOS: Scenario[] = ['own', 'other', 'none'];

export interface Who {
  role: Role;
  session: Session;
  ownWorklist: string;
  ownPerson: Resident;
  /** The footprint the staff member may make worklists for. */
  scope: { scope: string; scopeCode: string };
  otherScope: { scope: string; scopeCode: string };
}

export interface Call {
  method: InjectOptions['method'];
  url: string;
  payload?: Record<string, unknown> | string;
  headers?: Record<string, string>;
  /** Sent with a session of its own (the request ends it), not the staff member's main one. */
  throwaway?: boolean;
  /** Sent without any cookie (signing in). */
  anonymous?: boolean;
}

export interface Case {
  /** The status when the role is allowed and the scenario is its own data. */
  ok: number;
  /** Roles the matrix allows whose own-data answer differs from `ok`. */
  ownFor?: Partial<Record<Role, number>>;
  /** The status for other scenarios when allowed, if not `ok`. */
  other?: number;
  none?: number;
  call(s: Scenario, who: Who): Call | Promise<Call>;
}

/**
 * What the cases reach: the test's world, set in its `before` (the cases are made before it runs), and
 * the records a case picks by position, some made once, on first use, for every role's call.
 */
export class MatrixFixture {
  db!: Db;
  app!: App;
  w!: World;
  /** A practitioner of another team, with sessions and past break-glass of their own. */
  stranger!: Session;
  /** Past break-glass uses awaiting review; the IG officer's review takes one each time. */
  readonly breakGlassIds: string[] = [];
  #eastReferral: Promise<string> | undefined;
  readonly #serviceReferrals = new Map<Scenario, Promise<string>>();
  #importJob: Promise<string> | undefined;

  teamOf(s: Scenario): string {
    return s === 'own' ? 'int-east' : s === 'other' ? 'int-west' : 'int-nowhere';
  }
  meetingOf(s: Scenario): string {
    return s === 'own' ? this.w.meetings.east : s === 'other' ? this.w.meetings.west : randomId();
  }
  itemOf(s: Scenario): string {
    return s === 'own' ? this.w.items.east : s === 'other' ? this.w.items.west : randomId();
  }
  caseOfScenario(s: Scenario): string {
    return s === 'own' ? this.w.cases.east : s === 'other' ? this.w.cases.west : randomId();
  }

  async versionOf(table: 'care_case' | 'care_plan', id: string): Promise<number> {
    const { kysely } = this.db;
    const row =
      table === 'care_case'
        ? await kysely.selectFrom('care_case').select('version').where('id', '=', id).executeTakeFirst()
        : await kysely.selectFrom('care_plan').select('version').where('case_id', '=', id).executeTakeFirst();
    return row?.version ?? 1;
  }

  /** A service as its edit form has it, now (each editor's save moves its version on). */
  async editable(serviceId: string) {
    const found = await editableService(this.db.kysely, 'bury', serviceId);
    if (!found) throw new Error(`no service ${serviceId}`);
    return found;
  }

  nomination() {
    return { nhsNumber: this.w.spare().nhs, reason: 'Carer breakdown reported by the social prescriber' };
  }

  /** One East referral awaiting triage, made once for every role's read. */
  eastReferral(): Promise<string> {
    this.#eastReferral ??= this.w.newEastReferral();
    return this.#eastReferral;
  }

  /** One referral just sent from the East case (own) or the West one (other), made once for every role's read. */
  serviceReferral(s: 'own' | 'other'): Promise<string> {
    let found = this.#serviceReferrals.get(s);
    if (!found) {
      found =
        s === 'own'
          ? insertServiceReferral(this.db, this.w.cases.east, FRIENDSHIP_GROUP)
          : addTestService(this.db, { agencyId: 'gmp-bury' }).then((id) =>
              insertServiceReferral(this.db, this.w.cases.west, id),
            );
      this.#serviceReferrals.set(s, found);
    }
    return found;
  }

  /** One finished import of the place, for the routes that read a job. */
  importJob(): Promise<string> {
    this.#importJob ??= (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-matrix-'));
      const file = path.join(dir, 'people.ndjson');
      writeFileSync(file, '{"resourceType":"Spaceship"}\n');
      const outcome = await importFile(this.db, {
        placeId: 'bury',
        path: file,
        importer: { id: null, name: 'Access test', role: null, teamId: null },
      });
      return outcome.job.id;
    })();
    return this.#importJob;
  }
}

/** A borough-wide phone line, for the directory editors' calls. */
export const MONEY_ADVICE = directoryId('bury', 'service', 'money-advice-line');

/** A Kingfisher Befriending group in Radcliffe: its organisation's referrals go to the VCSE link workers. */
export const FRIENDSHIP_GROUP = directoryId('bury', 'service', 'radcliffe-friendship-group');

export const RULES = {
  kind: 'group',
  combinator: 'and',
  rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
};
