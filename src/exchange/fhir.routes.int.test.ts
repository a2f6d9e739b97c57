// The FHIR API through a real FHIR client library (fhir-kit-client) over HTTP: reads and searches
// answer only about people with a legitimate relationship and are audited; every resource returned
// validates against the official R4 definitions; a transaction Bundle is all or nothing; bulk export
// gives NDJSON of the viewer's people only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'fhir-kit-client';
import { seedDemoCases } from '../cases/demo-cases.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { addTestService, insertServiceReferral } from '../directory/service-referral.test-helper.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, openTestApp, signIn } from '../server/test-app.ts';
import { NHS_NUMBER_SYSTEM } from '../synth/fhir.ts';
import { runSynth } from '../synth/run-synth.ts';
import { validateStructure } from './fhir-validate.ts';

type Json = Record<string, unknown>;
type Bundle = { resourceType: string; type: string; total?: number; entry?: { resource: Json }[] };

const errorsOf = (resource: Json) => validateStructure(resource).filter((i) => i.severity === 'error');

for (const target of dbTargets())
  describe(`FHIR API (${target.name})`, () => {
    let db: Db;
    let app: App;
    let base: string;
    let gp: { headers: Record<string, string>; practice: string; staffId: string };
    let lead: { headers: Record<string, string> };
    let admin: { headers: Record<string, string> };
    let ours: { id: string; nhs: string };
    let theirs: { id: string; nhs: string };
    let withCase: string;
    let caseOfWithCase: string;
    let caseTeam: string;

    const client = (headers: Record<string, string>) => new Client({ baseUrl: base, customHeaders: headers });

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 800,
        seed: 31,
      });
      await seedDemoCases(db.kysely, 'bury', { perTeam: 3, seed: 5, today: '2025-12-31' });
      app = await openTestApp(db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/places/bury/fhir`;
      const [first, other] = await db.kysely
        .selectFrom('person')
        .select(['id', 'nhs_number', 'practice_code'])
        .orderBy('id')
        .execute()
        .then((rows) => {
          const a = rows[0];
          const b = rows.find((r) => r.practice_code !== a?.practice_code);
          return [a, b];
        });
      if (!first?.nhs_number || !other?.nhs_number) throw new Error('test people missing');
      ours = { id: first.id, nhs: first.nhs_number };
      theirs = { id: other.id, nhs: other.nhs_number };
      const gpStaff = await addStaff(db, {
        role: 'gp-staff',
        practiceCode: first.practice_code,
        agencyId: first.practice_code,
      });
      gp = {
        headers: await signIn(app, gpStaff.username),
        practice: first.practice_code,
        staffId: gpStaff.id,
      };
      const anyCase = await db.kysely
        .selectFrom('care_case')
        .select(['id', 'person_id', 'team_id'])
        .where('status', '=', 'open')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      withCase = anyCase.person_id;
      caseOfWithCase = anyCase.id;
      caseTeam = anyCase.team_id;
      const leadStaff = await addStaff(db, {
        role: 'int-lead',
        teamId: anyCase.team_id,
        agencyId: 'bury-community-health',
        practitionerId: `${anyCase.team_id}-int-lead`,
      });
      lead = { headers: await signIn(app, leadStaff.username) };
      const adminStaff = await addStaff(db, { role: 'administrator' });
      admin = { headers: await signIn(app, adminStaff.username) };
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('reads a Patient of the practice, valid R4 with its NHS number; another practice’s is not found', async () => {
      const patient = (await client(gp.headers).read({ resourceType: 'Patient', id: ours.id })) as Json;
      assert.equal(patient.resourceType, 'Patient');
      assert.deepEqual(errorsOf(patient), []);
      assert.equal((patient.identifier as { value: string }[])[0]?.value, ours.nhs);
      await assert.rejects(
        client(gp.headers).read({ resourceType: 'Patient', id: theirs.id }),
        (e: { response?: { status: number } }) => e.response?.status === 404,
      );
    });

    test('searches by NHS number only among related people, and audits each person returned', async () => {
      const found = (await client(gp.headers).search({
        resourceType: 'Patient',
        searchParams: { identifier: `${NHS_NUMBER_SYSTEM}|${ours.nhs}` },
      })) as Bundle;
      assert.equal(found.type, 'searchset');
      assert.equal(found.entry?.length, 1);
      assert.deepEqual(errorsOf(found as unknown as Json), []);
      const hidden = (await client(gp.headers).search({
        resourceType: 'Patient',
        searchParams: { identifier: `${NHS_NUMBER_SYSTEM}|${theirs.nhs}` },
      })) as Bundle;
      assert.equal(hidden.entry?.length ?? 0, 0);
      const audited = await db.kysely
        .selectFrom('audit_event')
        .select('person_ids')
        .where('actor_id', '=', gp.staffId)
        .where('action', '=', 'search')
        .execute();
      assert.ok(audited.some((e) => e.person_ids.includes(ours.id)));
      assert.ok(!audited.some((e) => e.person_ids.includes(theirs.id)));
    });

    test('care plans, tasks and referrals of a person with a case are found by their team, and validate', async () => {
      for (const resourceType of ['CarePlan', 'Task', 'ServiceRequest']) {
        const bundle = (await client(lead.headers).search({
          resourceType,
          searchParams: { patient: `Patient/${withCase}` },
        })) as Bundle;
        for (const e of bundle.entry ?? []) assert.deepEqual(errorsOf(e.resource), [], resourceType);
        if (resourceType === 'CarePlan') {
          assert.ok((bundle.entry?.length ?? 0) > 0, 'the case has a care plan');
          const id = bundle.entry?.[0]?.resource.id as string;
          const plan = (await client(lead.headers).read({ resourceType, id })) as Json;
          assert.equal(plan.id, id);
        }
      }
      await assert.rejects(
        client(gp.headers).search({
          resourceType: 'CarePlan',
          searchParams: { patient: `Patient/${theirs.id}` },
        }),
        (e: { response?: { status: number } }) => e.response?.status === 404,
      );
    });

    test('a referral into a directory service: read by the case’s team and the agency receiving it, not found by others', async () => {
      const service = await addTestService(db, {
        agencyId: 'bury-council-adult-social-care',
        hasLocation: true,
      });
      const referralId = await insertServiceReferral(db, caseOfWithCase, service);
      const otherTeam = caseTeam === 'int-west' ? 'int-east' : 'int-west';
      const as = async (spec: Parameters<typeof addStaff>[1]) =>
        client(await signIn(app, (await addStaff(db, spec)).username));
      const receiverHeaders = await signIn(
        app,
        (
          await addStaff(db, {
            role: 'social-worker',
            teamId: otherTeam,
            agencyId: 'bury-council-adult-social-care',
          })
        ).username,
      );
      const receiver = client(receiverHeaders);
      const stranger = await as({
        role: 'int-practitioner',
        teamId: otherTeam,
        agencyId: 'bury-community-health',
      });

      for (const reader of [client(lead.headers), receiver]) {
        const read = (await reader.read({ resourceType: 'ServiceRequest', id: referralId })) as Json;
        assert.equal(read.id, referralId);
        assert.deepEqual(errorsOf(read), []);
        assert.deepEqual(read.basedOn, [{ reference: `CarePlan/${caseOfWithCase}` }]);
      }
      // The receiving agency sees the referral, not the case it came from.
      const plans = (await receiver.search({
        resourceType: 'CarePlan',
        searchParams: { patient: `Patient/${withCase}` },
      })) as Bundle;
      assert.ok(!(plans.entry ?? []).some((e) => e.resource.id === caseOfWithCase));
      await assert.rejects(
        stranger.read({ resourceType: 'ServiceRequest', id: referralId }),
        (e: { response?: { status: number } }) => e.response?.status === 404,
      );

      // Their bulk export holds the same: the referral, not the case's plan.
      const exported = await bulkExport(receiverHeaders, 'CarePlan,ServiceRequest');
      assert.ok((exported.ServiceRequest ?? []).some((r) => r.id === referralId));
      assert.ok(!(exported.CarePlan ?? []).some((r) => r.id === caseOfWithCase));
    });

    /** Runs a bulk export as the viewer to its end; each type's resources, every line checked against its count. */
    async function bulkExport(
      headers: Record<string, string>,
      types: string,
    ): Promise<Record<string, Json[]>> {
      const kick = await fetch(`${base}/$export?_type=${types}`, {
        headers: { ...headers, prefer: 'respond-async' },
      });
      assert.equal(kick.status, 202);
      const status = kick.headers.get('content-location') ?? '';
      type Manifest = { output: { type: string; url: string; count: number }[] };
      let manifest: Manifest | undefined;
      for (let i = 0; i < 100 && !manifest; i++) {
        const res = await fetch(status, { headers });
        if (res.status === 200) manifest = (await res.json()) as Manifest;
        else await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(manifest, 'the export finished');
      const out: Record<string, Json[]> = {};
      for (const file of manifest.output) {
        const text = await (await fetch(file.url, { headers })).text();
        out[file.type] = text
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Json);
        assert.equal(out[file.type]?.length, file.count, file.type);
      }
      return out;
    }

    test('a transaction Bundle is all or nothing', async () => {
      const patient = (nhs: string, id: string) => ({
        fullUrl: `urn:uuid:${id}`,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhs }],
          name: [{ family: 'Transaction', given: ['Tess'] }],
          gender: 'female',
          birthDate: '1950-02-03',
          address: [
            {
              use: 'home',
              extension: [
                {
                  url: 'urn:joinedup:fhir:StructureDefinition:address-lsoa-2021',
                  valueCoding: { system: 'urn:joinedup:fhir:CodeSystem:ons-lsoa-2021', code: 'E01004941' },
                },
              ],
            },
          ],
          generalPractitioner: [{ reference: `Organization/${gp.practice}` }],
        },
        request: { method: 'POST', url: 'Patient' },
      });
      const good = '9990000018';
      const bad = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          patient(good, '3f0b7d6e-0000-4000-8000-000000000001'),
          {
            fullUrl: 'urn:uuid:3f0b7d6e-0000-4000-8000-000000000002',
            resource: {
              resourceType: 'Condition',
              subject: { reference: 'urn:uuid:3f0b7d6e-0000-4000-8000-0000000000ff' },
              code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
              onsetDateTime: '2020-01-01',
            },
            request: { method: 'POST', url: 'Condition' },
          },
        ],
      };
      await assert.rejects(
        client(admin.headers).transaction({ body: bad }),
        (e: { response?: { status: number; data: Json } }) => {
          assert.equal(e.response?.status, 400);
          assert.equal(e.response?.data.resourceType, 'OperationOutcome');
          return true;
        },
      );
      const none = await db.kysely.selectFrom('person').select('id').where('nhs_number', '=', good).execute();
      assert.equal(none.length, 0, 'nothing of a refused transaction is written');
      const ok = (await client(admin.headers).transaction({
        body: { ...bad, entry: [bad.entry[0]] },
      })) as Bundle;
      assert.equal(ok.type, 'transaction-response');
      const one = await db.kysely.selectFrom('person').select('id').where('nhs_number', '=', good).execute();
      assert.equal(one.length, 1);
    });

    test('bulk export gives NDJSON of the viewer’s people only, each line valid R4', async () => {
      const exported = await bulkExport(gp.headers, 'Patient,Condition');
      const lines = exported.Patient ?? [];
      assert.ok(lines.length > 0);
      for (const p of lines) {
        assert.deepEqual(errorsOf(p), []);
        assert.equal(
          (p.generalPractitioner as { identifier: { value: string } }[])[0]?.identifier.value,
          gp.practice,
        );
      }
      const noPrefer = await fetch(`${base}/$export`, { headers: gp.headers });
      assert.equal(noPrefer.status, 400);
    });
  });
