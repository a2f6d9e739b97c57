// HTTP for the directory's editors: the services by review date, what the edit form offers, a service as
// the form shows it with its history, adding one, saving a change from the version read, and recording
// that an entry was checked. Editors work on their own place's directory; any other answers "not found".
// A save clears the public pages' and feed's answers kept in memory, so residents see it at once.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf, staffLabel } from '../access/access.plugin.ts';
import { todayInEngland } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import {
  directoryChoices as choicesSchema,
  type EditableService,
  editableService as editableServiceSchema,
  editorServiceList,
  editorServiceQuery,
  serviceChecked,
  serviceInput,
  serviceUpdate,
} from '../core/schemas/directory-edit.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import type { PublicCache } from '../server/public-cache.ts';
import {
  createService,
  directoryChoices,
  type Editor,
  editableService,
  editorServices,
  markChecked,
  updateService,
} from './directory-edit.store.ts';

const errors = {
  400: operationOutcome,
  403: operationOutcome,
  404: operationOutcome,
  409: operationOutcome,
  422: operationOutcome,
  503: operationOutcome,
};
const tags = ['Directory editing'];

export function directoryEditRoutes(app: App, db: Kysely<Database>, publicAnswers: PublicCache): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const serviceParams = z.object({
    placeId: placeIdParam,
    serviceId: z.uuid('must be the id of a service in the directory'),
  });

  /** Editors keep their own place's directory: another place's is "not found". */
  function ownPlace(access: Access, placeId: string): void {
    if (access.staff.placeId !== placeId) throw new AppError('not-found', `There is no place "${placeId}".`);
  }
  /** The editor saving to this place's directory. */
  function editorOf(req: FastifyRequest, placeId: string): Editor {
    const access = accessOf(req);
    ownPlace(access, placeId);
    return { staff: access.staff, name: staffLabel(access.staff), today: todayInEngland() };
  }
  /** After a save: the public answers kept in memory are forgotten, and the service is answered as the form shows it. */
  function saved(service: EditableService) {
    publicAnswers.clear();
    return service;
  }
  async function answer(placeId: string, serviceId: string) {
    const service = await editableService(db, placeId, serviceId);
    if (!service) throw new AppError('not-found', 'There is no service with this id in the directory.');
    return service;
  }

  app.get(
    '/api/places/:placeId/directory/services',
    {
      schema: {
        tags,
        summary: 'The services of the directory, those due for review first',
        description:
          'Overdue (review date today or earlier), then due soon (within 30 days), then by name; retired services too. `counts` says how many running services are overdue and due soon across the directory, whatever the filter.',
        params: placeParams,
        querystring: editorServiceQuery,
        response: { 200: editorServiceList, ...errors },
      },
    },
    async (req) => {
      const { placeId } = req.params;
      ownPlace(accessOf(req), placeId);
      return editorServices(db, placeId, req.query, todayInEngland());
    },
  );

  app.get(
    '/api/places/:placeId/directory/choices',
    {
      schema: {
        tags,
        summary: 'What a service may be given: the organisations, locations and needs of the directory',
        params: placeParams,
        response: { 200: choicesSchema, ...errors },
      },
    },
    async (req) => {
      const { placeId } = req.params;
      ownPlace(accessOf(req), placeId);
      return directoryChoices(db, placeId);
    },
  );

  app.post(
    '/api/places/:placeId/directory/services',
    {
      schema: {
        tags,
        summary: 'Add a service to the directory',
        description:
          'The organisation, locations and needs must be the directory’s own (422 naming the field). A service needs a location or to serve the whole borough; the youngest age may not be above the oldest (400 naming the field). The review date must be today or later and within two years (422 naming `reviewDate`). The service is checked today by the editor who adds it.',
        params: placeParams,
        body: serviceInput,
        response: { 201: editableServiceSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { placeId } = req.params;
      const service = await createService(db, editorOf(req, placeId), placeId, req.body);
      reply.code(201);
      return saved(service);
    },
  );

  app.get(
    '/api/places/:placeId/directory/services/:serviceId',
    {
      schema: {
        tags,
        summary: 'A service as the edit form shows it, with its version and history',
        params: serviceParams,
        response: { 200: editableServiceSchema, ...errors },
      },
    },
    async (req) => {
      const { placeId, serviceId } = req.params;
      ownPlace(accessOf(req), placeId);
      return answer(placeId, serviceId);
    },
  );

  app.put(
    '/api/places/:placeId/directory/services/:serviceId',
    {
      schema: {
        tags,
        summary: 'Save a change to a service, from the version you read',
        description:
          'All its fields, as the form has them. A save from an older version than the current one is refused with 409 naming the current version; nothing is overwritten. A save that changes nothing and does not record a check writes nothing. A review date left as it was may stay overdue; a new one must be today or later and within two years. Retiring a service (status `defunct`) leaves its open referrals with the organisation; no new referral can be made to it. From its first save, a service from the place pack is kept as the editors leave it when the pack is loaded again.',
        params: serviceParams,
        body: serviceUpdate,
        response: { 200: editableServiceSchema, ...errors },
      },
    },
    async (req) => {
      const { placeId, serviceId } = req.params;
      return saved(await updateService(db, editorOf(req, placeId), placeId, serviceId, req.body));
    },
  );

  app.post(
    '/api/places/:placeId/directory/services/:serviceId/checked',
    {
      schema: {
        tags,
        summary: 'Record that the entry was checked today, and when it is next due for review',
        description:
          'Stamps "last checked" with today and the editor. The review date must be today or later and within two years (422 naming `reviewDate`); a stale version is refused with 409.',
        params: serviceParams,
        body: serviceChecked,
        response: { 200: editableServiceSchema, ...errors },
      },
    },
    async (req) => {
      const { placeId, serviceId } = req.params;
      return saved(await markChecked(db, editorOf(req, placeId), placeId, serviceId, req.body));
    },
  );
}
