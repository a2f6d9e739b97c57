// The shapes of the access and audit API's answers, as the web app reads them. They mirror the
// response schemas in src/access/session.routes.ts and audit.routes.ts, which live beside their routes
// rather than in src/core/schemas, so the web app (which sees only core) keeps its own copy here.
import { z } from 'zod';

export const sessionBody = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.string(),
    roleTitle: z.string(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    neighbourhood: z.string().nullable(),
    practiceCode: z.string().nullable(),
    placeId: z.string(),
  }),
  sessionId: z.string(),
  csrfToken: z.string(),
  idleTimeoutMinutes: z.number(),
  absoluteTimeoutHours: z.number(),
});
export type Session = z.infer<typeof sessionBody>;

export const sessionList = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      method: z.string(),
      current: z.boolean(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
      expiresAt: z.string(),
      userAgent: z.string(),
      ip: z.string(),
    }),
  ),
});

export const personFound = z.object({ personId: z.string(), relationship: z.string() });
export const breakGlassStarted = z.object({ personId: z.string(), expiresAt: z.string() });

export const auditEvents = z.object({
  events: z.array(
    z.object({
      seq: z.number(),
      occurredAt: z.string(),
      requestId: z.string(),
      actorName: z.string(),
      username: z.string().nullable(),
      role: z.string().nullable(),
      team: z.string().nullable(),
      action: z.string(),
      route: z.string(),
      people: z.number(),
      purpose: z.string(),
      relationship: z.string().nullable(),
      outcome: z.string(),
      detail: z.string(),
    }),
  ),
  page: z.number(),
  pageSize: z.number(),
});

export const unusualAccess = z.object({
  thresholds: z.object({
    deniedPerDay: z.number(),
    recordsPerDay: z.number(),
    quietHours: z.string(),
    days: z.number(),
  }),
  findings: z.array(
    z.object({
      rule: z.enum(['denied', 'many-records', 'quiet-hours']),
      actorName: z.string(),
      username: z.string().nullable(),
      role: z.string().nullable(),
      day: z.string(),
      count: z.number(),
    }),
  ),
});

export const breakGlassUses = z.object({
  awaitingReview: z.number(),
  uses: z.array(
    z.object({
      id: z.string(),
      actorName: z.string(),
      username: z.string(),
      role: z.string(),
      nhsNumber: z.string().nullable(),
      reason: z.string(),
      startedAt: z.string(),
      expiresAt: z.string(),
      reviewOutcome: z.enum(['appropriate', 'not-appropriate']).nullable(),
      reviewNote: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.string().nullable(),
    }),
  ),
});

export const chainCheck = z.object({
  events: z.number(),
  intact: z.boolean(),
  problems: z.array(z.object({ seq: z.number(), problem: z.string() })),
});

export const staffList = z.object({
  staff: z.array(
    z.object({
      username: z.string(),
      name: z.string(),
      role: z.string(),
      roleTitle: z.string(),
      team: z.string().nullable(),
      practiceCode: z.string().nullable(),
      isDemo: z.boolean(),
    }),
  ),
});

/** Answers with no body (204). */
export const noContent = z.null();
