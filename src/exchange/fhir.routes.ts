// The FHIR R4 API of a place, at /api/places/:placeId/fhir: read and search of Patient, CarePlan, Task
// and ServiceRequest; a Bundle (transaction or batch) posted to the base is imported; and bulk export
// ($export) as NDJSON. Every answer goes through the same access rules as the app: a person is seen
// only with a legitimate relationship (anyone else gets "not found"), a care plan or task only where
// its case may be seen, and every person read, searched or exported is audited.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { accessOf, notFoundPerson, staffLabel } from '../access/access.plugin.ts';
import { relatedPeople } from '../access/relationship.ts';
import { ROLES } from '../access/roles.ts';
import type { Staff } from '../access/session.store.ts';
import { AppError } from '../core/errors.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import { isUuid } from '../core/uuid.ts';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { patientResource, type Resource } from '../synth/fhir.ts';
import { careResourcesOf } from './fhir-care.store.ts';
import { careVisibleTo } from './fhir-care-visibility.ts';
import {
  CARE_TYPES,
  EXPORT_TYPES,
  type ExportType,
  exportToFolder,
  POPULATION_TYPES,
  peopleOf,
} from './fhir-export.ts';
import { jobIssues } from './import-job.store.ts';
import { startImport } from './import-run.ts';

const tags = ['FHIR'];
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const idParam = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR id');
/** The most resources one search page returns. */
export const MAX_COUNT = 100;
/** The largest Bundle posted to the base. */
export const MAX_BUNDLE_POST_BYTES = 50 * 1024 * 1024;

type Access = ReturnType<typeof accessOf>;

const base = (req: { headers: { host?: string }; protocol: string }, placeId: string) =>
  `${req.protocol}://${req.headers.host ?? 'localhost'}/api/places/${placeId}/fhir`;

function searchset(url: string, resources: readonly Resource[], total: number, baseUrl: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [{ relation: 'self', url }],
    entry: resources.map((r) => ({
      fullUrl: `${baseUrl}/${r.resourceType}/${r.id}`,
      resource: r,
      search: { mode: 'match' },
    })),
  };
}

/** A patient's FHIR id is their person id. */
const personIdOf = (reference: string) => reference.replace(/^Patient\//, '');
async function patientsOf(
  db: Kysely<Database>,
  placeId: string,
  ids: readonly string[],
): Promise<Resource[]> {
  const out: Resource[] = [];
  for await (const page of peopleOf(db, placeId, { personIds: ids }))
    for (const p of page) out.push(patientResource(p));
  return out;
}

/** The care resources of one person that the viewer may see (fhir-care-visibility.ts). */
async function visibleCareOf(
  db: Kysely<Database>,
  placeId: string,
  personId: string,
  staff: Staff,
): Promise<Resource[]> {
  const [all, visible] = await Promise.all([
    careResourcesOf(db, placeId, [personId]),
    careVisibleTo(db, placeId, [personId], staff),
  ]);
  return (all as unknown as Resource[]).filter(visible);
}

interface ExportJob {
  id: string;
  placeId: string;
  staffId: string;
  request: string;
  transactionTime: string;
  status: 'running' | 'done' | 'failed';
  written: number;
  dir: string;
  files: { type: string; file: string; count: number }[];
  error: string | null;
}

export function fhirRoutes(app: App, db: Db): void {
  const k = db.kysely;
  const exports = new Map<string, ExportJob>();

  const sendFhir = <T>(reply: { type(t: string): { send(b: T): unknown } }, body: T) =>
    reply.type(FHIR_JSON).send(body);

  app.get(
    '/api/places/:placeId/fhir/metadata',
    {
      schema: {
        tags,
        summary: 'The FHIR CapabilityStatement: what this server reads, searches, imports and exports',
        params: z.object({ placeId: placeIdParam }),
      },
    },
    async (req, reply) =>
      sendFhir(reply, {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: '2026-12-04',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['application/fhir+json'],
        implementation: {
          description: `Joined Up, ${req.params.placeId}`,
          url: base(req, req.params.placeId),
        },
        rest: [
          {
            mode: 'server',
            interaction: [{ code: 'transaction' }, { code: 'batch' }],
            operation: [
              { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
            ],
            resource: [
              {
                type: 'Patient',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: ['_id', 'identifier', 'family', 'given', 'birthdate'].map((name) => ({
                  name,
                  type:
                    name === 'birthdate'
                      ? 'date'
                      : name === 'identifier' || name === '_id'
                        ? 'token'
                        : 'string',
                })),
              },
              ...['CarePlan', 'Task', 'ServiceRequest'].map((type) => ({
                type,
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: [{ name: 'patient', type: 'reference' }],
              })),
            ],
          },
        ],
      }),
  );

  // Patient
  app.get(
    '/api/places/:placeId/fhir/Patient/:id',
    {
      schema: {
        tags,
        summary: 'Read a Patient (a person with whom the viewer has a legitimate relationship)',
        params: z.object({ placeId: placeIdParam, id: idParam }),
      },
    },
    async (req, reply) => {
      const { placeId, id } = req.params;
      if (!isUuid(id)) throw notFoundPerson();
      await accessOf(req).requirePerson(placeId, id);
      const [patient] = await patientsOf(k, placeId, [id]);
      if (!patient) throw notFoundPerson();
      return sendFhir(reply, patient);
    },
  );

  app.get(
    '/api/places/:placeId/fhir/Patient',
    {
      schema: {
        tags,
        summary: 'Search Patients among the people with whom the viewer has a legitimate relationship',
        params: z.object({ placeId: placeIdParam }),
        querystring: z.object({
          _id: z.string().max(64).optional(),
          identifier: z.string().max(120).optional().describe('system|value, or value: an NHS number'),
          family: z.string().max(100).optional(),
          given: z.string().max(100).optional(),
          birthdate: z.iso.date('must be a date written YYYY-MM-DD').optional(),
          _count: z.coerce.number().int().min(1).max(MAX_COUNT).default(20),
        }),
      },
    },
    async (req, reply) => {
      const { placeId } = req.params;
      const q = req.query;
      const access = accessOf(req);
      const relationships = await access.relationships();
      let query = relatedPeople(k, relationships, placeId);
      if (q._id !== undefined)
        query = isUuid(q._id) ? query.where('person.id', '=', q._id) : query.where(sql<boolean>`false`);
      if (q.identifier !== undefined) {
        const value = q.identifier.includes('|')
          ? q.identifier.slice(q.identifier.indexOf('|') + 1)
          : q.identifier;
        const system = q.identifier.includes('|') ? q.identifier.slice(0, q.identifier.indexOf('|')) : null;
        if (system !== null && system !== 'https://fhir.nhs.uk/Id/nhs-number')
          query = query.where(sql<boolean>`false`);
        else query = query.where('person.nhs_number', '=', value.replaceAll(' ', ''));
      }
      if (q.family)
        query = query.where(
          sql<boolean>`lower(person.family_name) like ${`${q.family.toLowerCase().replaceAll(/[%_\\]/g, '\\$&')}%`}`,
        );
      if (q.given)
        query = query.where(
          sql<boolean>`lower(person.given_name) like ${`${q.given.toLowerCase().replaceAll(/[%_\\]/g, '\\$&')}%`}`,
        );
      if (q.birthdate) query = query.where('person.date_of_birth', '=', q.birthdate);
      const ids = (
        await query.orderBy('person.family_name').orderBy('person.id').limit(q._count).execute()
      ).map((r) => r.id);
      access.audit({
        action: 'search',
        personIds: ids,
        purpose: 'direct-care',
        relationship: null,
        outcome: 'allowed',
      });
      const patients = await patientsOf(k, placeId, ids);
      const order = new Map(ids.map((id, i) => [id, i]));
      patients.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      return sendFhir(
        reply,
        searchset(
          `${base(req, placeId)}${req.url.slice(req.url.indexOf('/Patient'))}`,
          patients,
          patients.length,
          base(req, placeId),
        ),
      );
    },
  );

  // CarePlan, Task, ServiceRequest: read by id, and search by patient.
  const careTables = {
    CarePlan: { table: 'care_case', summary: 'a personalised care and support plan' },
    Task: { table: 'plan_action', summary: 'an action of a plan' },
    ServiceRequest: {
      table: 'int_referral',
      summary: 'a referral into an Integrated Neighbourhood Team or a directory service',
    },
  } as const;
  for (const [type, spec] of Object.entries(careTables) as [
    keyof typeof careTables,
    (typeof careTables)[keyof typeof careTables],
  ][]) {
    app.get(
      `/api/places/:placeId/fhir/${type}/:id`,
      {
        schema: {
          tags,
          summary: `Read ${spec.summary}`,
          params: z.object({ placeId: placeIdParam, id: idParam }),
        },
      },
      async (req, reply) => {
        const { placeId, id } = req.params;
        const access = accessOf(req);
        const ownerIn = (table: typeof spec.table | 'service_referral') =>
          k
            .selectFrom(table)
            .select('person_id')
            .where('place_id', '=', placeId)
            .where('id', '=', id)
            .executeTakeFirst();
        const owner = isUuid(id)
          ? ((await ownerIn(spec.table)) ??
            (type === 'ServiceRequest' ? await ownerIn('service_referral') : undefined))
          : undefined;
        // A record that does not exist is answered exactly as one the viewer may not see.
        await access.requirePerson(placeId, owner?.person_id ?? randomUUID());
        const found = (await visibleCareOf(k, placeId, owner?.person_id ?? '', access.staff)).find(
          (r) => r.resourceType === type && r.id === id,
        );
        if (!found) throw new AppError('not-found', `There is no ${type} you can see with this id.`);
        return sendFhir(reply, found);
      },
    );
    app.get(
      `/api/places/:placeId/fhir/${type}`,
      {
        schema: {
          tags,
          summary: `Search ${type} by patient`,
          params: z.object({ placeId: placeIdParam }),
          querystring: z.object({ patient: z.string().max(80).describe('Patient/<id> or <id>') }),
        },
      },
      async (req, reply) => {
        const { placeId } = req.params;
        const personId = personIdOf(req.query.patient);
        if (!isUuid(personId)) throw notFoundPerson();
        const access = accessOf(req);
        await access.requirePerson(placeId, personId);
        const found = (await visibleCareOf(k, placeId, personId, access.staff)).filter(
          (r) => r.resourceType === type,
        );
        return sendFhir(
          reply,
          searchset(
            `${base(req, placeId)}${req.url.slice(req.url.indexOf(`/${type}`))}`,
            found,
            found.length,
            base(req, placeId),
          ),
        );
      },
    );
  }

  // A Bundle posted to the base: imported as a transaction (all or nothing) or a batch (entry by entry).
  app.register(async (plugin) => {
    const scope = plugin as unknown as App;
    scope.addContentTypeParser(
      ['application/fhir+json', 'application/json'],
      { parseAs: 'string', bodyLimit: MAX_BUNDLE_POST_BYTES },
      (_req, body, done) => done(null, body),
    );
    // FHIR clients post a Bundle to the base with or without a closing slash.
    for (const url of ['/api/places/:placeId/fhir', '/api/places/:placeId/fhir/'])
      scope.post(
        url,
        {
          bodyLimit: MAX_BUNDLE_POST_BYTES,
          schema: {
            tags,
            summary:
              'Import a Bundle: a transaction is all or nothing; a batch is taken entry by entry. The same Bundle sent twice is taken once',
            params: z.object({ placeId: placeIdParam }),
          },
        },
        async (req, reply) => {
          const { placeId } = req.params;
          const staff = accessOf(req).staff;
          const dir = await mkdtemp(path.join(tmpdir(), 'joinedup-bundle-'));
          const file = path.join(dir, 'bundle.json');
          try {
            await writeFile(file, typeof req.body === 'string' ? req.body : '');
            const started = await startImport(db, {
              placeId,
              path: file,
              fileName: `Bundle posted ${new Date().toISOString().slice(0, 19)}.json`,
              importer: { id: staff.id, name: staffLabel(staff), role: staff.role, teamId: staff.teamId },
            });
            const outcome = await started.done;
            const problems = await jobIssues(k, outcome.job.id);
            if (outcome.job.status === 'failed')
              return reply
                .code(400)
                .type(FHIR_JSON)
                .send({
                  resourceType: 'OperationOutcome',
                  id: req.id,
                  issue: problems.map((p) => ({
                    severity: p.severity,
                    code: p.code,
                    diagnostics: p.line !== undefined ? `Entry ${p.line}: ${p.diagnostics}` : p.diagnostics,
                    ...(p.expression ? { expression: [p.expression] } : {}),
                  })),
                });
            const entries = Array.from({ length: outcome.job.linesDone }, (_, i) => {
              const mine = problems.filter((p) => p.line === i + 1);
              const refused = mine.some((p) => p.severity === 'error');
              return {
                response: {
                  status: refused ? '400 Bad Request' : '200 OK',
                  ...(mine.length > 0
                    ? {
                        outcome: {
                          resourceType: 'OperationOutcome',
                          issue: mine.map((p) => ({
                            severity: p.severity,
                            code: p.code,
                            diagnostics: p.diagnostics,
                            ...(p.expression ? { expression: [p.expression] } : {}),
                          })),
                        },
                      }
                    : {}),
                },
              };
            });
            const type =
              problems.length === 0 && outcome.alreadyImported ? 'batch-response' : 'transaction-response';
            return reply.type(FHIR_JSON).send({ resourceType: 'Bundle', type, entry: entries });
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        },
      );
  });

  // Bulk export (FHIR Bulk Data): kick-off, status, files.
  const exportTypesFor = (staff: Staff): readonly ExportType[] =>
    staff.role === 'ig-officer'
      ? ['AuditEvent']
      : ROLES[staff.role].directCare
        ? [...POPULATION_TYPES, ...CARE_TYPES]
        : [];

  app.get(
    '/api/places/:placeId/fhir/$export',
    {
      schema: {
        tags,
        summary:
          'Start a bulk export as NDJSON (FHIR Bulk Data): the people with whom the viewer has a relationship, with their records and care; the audit trail for the information governance officer',
        params: z.object({ placeId: placeIdParam }),
        querystring: z.object({
          _type: z.string().max(400).optional().describe('Resource types, separated by commas'),
        }),
      },
    },
    async (req, reply) => {
      const { placeId } = req.params;
      if (!/respond-async/.test(String(req.headers.prefer ?? '')))
        throw new AppError(
          'invalid',
          'A bulk export runs in the background: send the header "Prefer: respond-async".',
          [
            {
              diagnostics: 'A bulk export runs in the background: send the header "Prefer: respond-async".',
              expression: ['Prefer'],
            },
          ],
        );
      const access = accessOf(req);
      const allowed = exportTypesFor(access.staff);
      const asked = req.query._type ? req.query._type.split(',').map((t) => t.trim()) : [...allowed];
      const unknown = asked.filter((t) => !(EXPORT_TYPES as readonly string[]).includes(t));
      if (unknown.length > 0)
        throw new AppError(
          'invalid',
          `_type: ${unknown.join(', ')} cannot be exported. Types: ${EXPORT_TYPES.join(', ')}.`,
          [{ diagnostics: `${unknown.join(', ')} cannot be exported`, expression: ['_type'] }],
        );
      const refused = asked.filter((t) => !allowed.includes(t as ExportType));
      if (refused.length > 0)
        throw new AppError('forbidden', `Your role may not export ${refused.join(', ')}.`);
      const types = asked as ExportType[];
      let personIds: string[] = [];
      if (types.some((t) => t !== 'AuditEvent' && t !== 'Organization')) {
        const relationships = await access.relationships();
        personIds = (await relatedPeople(k, relationships, placeId).execute()).map((r) => r.id);
      }
      access.audit({
        action: 'export',
        personIds,
        purpose: 'direct-care',
        relationship: null,
        outcome: 'allowed',
      });
      const job: ExportJob = {
        id: randomUUID(),
        placeId,
        staffId: access.staff.id,
        request: `${base(req, placeId)}/$export${req.query._type ? `?_type=${req.query._type}` : ''}`,
        transactionTime: new Date().toISOString(),
        status: 'running',
        written: 0,
        dir: await mkdtemp(path.join(tmpdir(), 'joinedup-export-')),
        files: [],
        error: null,
      };
      exports.set(job.id, job);
      exportToFolder(
        k,
        {
          placeId,
          personIds: types.includes('AuditEvent') && types.length === 1 ? undefined : personIds,
          viewer: ROLES[access.staff.role].directCare ? access.staff : undefined,
          types,
          onProgress: (n) => {
            job.written = n;
          },
        },
        job.dir,
      )
        .then((files) => {
          job.files = files;
          job.status = 'done';
        })
        .catch((e: Error) => {
          job.status = 'failed';
          job.error = e.message;
        });
      return reply
        .code(202)
        .header('Content-Location', `${base(req, placeId)}/$export-status/${job.id}`)
        .send();
    },
  );

  const exportOf = (req: { params: { placeId: string; jobId: string } }, access: Access): ExportJob => {
    const job = exports.get(req.params.jobId);
    if (!job || job.staffId !== access.staff.id || job.placeId !== req.params.placeId)
      throw new AppError('not-found', 'There is no such export.');
    return job;
  };
  const jobParams = z.object({ placeId: placeIdParam, jobId: z.uuid('must be an export id') });

  app.get(
    '/api/places/:placeId/fhir/$export-status/:jobId',
    {
      schema: {
        tags,
        summary: 'The state of a bulk export: 202 while it runs, then its manifest',
        params: jobParams,
      },
    },
    async (req, reply) => {
      const job = exportOf(req, accessOf(req));
      if (job.status === 'running')
        return reply
          .code(202)
          .header('X-Progress', `${job.written} resources written`)
          .header('Retry-After', '2')
          .send();
      if (job.status === 'failed') throw new AppError('internal', `The export stopped: ${job.error}`);
      return reply.type('application/json').send({
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: job.files
          .filter((f) => f.count > 0)
          .map((f) => ({
            type: f.type,
            url: `${base(req, job.placeId)}/$export-file/${job.id}/${f.type}.ndjson`,
            count: f.count,
          })),
        error: [],
      });
    },
  );

  app.delete(
    '/api/places/:placeId/fhir/$export-status/:jobId',
    { schema: { tags, summary: 'Remove a bulk export and its files', params: jobParams } },
    async (req, reply) => {
      const job = exportOf(req, accessOf(req));
      exports.delete(job.id);
      await rm(job.dir, { recursive: true, force: true });
      return reply.code(202).send();
    },
  );

  app.get(
    '/api/places/:placeId/fhir/$export-file/:jobId/:file',
    {
      schema: {
        tags,
        summary: 'One NDJSON file of a finished bulk export',
        params: jobParams.extend({
          file: z.string().regex(/^[A-Za-z]+\.ndjson$/, 'must be a file of the export'),
        }),
      },
    },
    async (req, reply) => {
      const job = exportOf(req, accessOf(req));
      if (job.status !== 'done' || !(await readdir(job.dir)).includes(req.params.file))
        throw new AppError('not-found', 'There is no such file in this export.');
      return reply
        .type('application/fhir+ndjson')
        .send(createReadStream(path.join(job.dir, req.params.file)));
    },
  );
}
