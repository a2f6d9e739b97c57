// The access and audit API's shapes: sessions, finding a person and break-glass, the information
// governance officer's views, staff accounts. Shared by the routes (src/access) and the web app.
import { z } from 'zod';

export const signInInput = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(100),
  password: z.string().min(1, 'Enter your password').max(200),
});

export const signInOptions = z.object({
  password: z.boolean(),
  /** Null when OpenID Connect sign-in is not set up here. */
  oidc: z.object({ name: z.string(), start: z.string() }).nullable(),
});

export const sessionBody = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.string(),
    roleTitle: z.string(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    careTeam: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('The team whose referrals, caseload, MDTs and huddles the staff member works in'),
    neighbourhood: z.string().nullable(),
    practiceCode: z.string().nullable(),
    placeId: z.string(),
  }),
  sessionId: z.string(),
  csrfToken: z.string().describe('Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE'),
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
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      /** The browser and system in words ("Chrome 156 on Linux"), read from the User-Agent. */
      browser: z.string(),
      userAgent: z.string(),
      ip: z.string(),
    }),
  ),
});

export const personFound = z.object({ personId: z.string(), relationship: z.string() });
export const breakGlassStarted = z.object({ personId: z.string(), expiresAt: z.iso.datetime() });

export const auditEvent = z.object({
  seq: z.number(),
  occurredAt: z.iso.datetime(),
  requestId: z.string(),
  actorName: z.string(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  team: z.string().nullable(),
  action: z.string(),
  route: z.string(),
  /** What the route does, in words (its API summary), or null for events not made by a request. */
  what: z.string().nullable(),
  people: z.number().int(),
  purpose: z.string(),
  relationship: z.string().nullable(),
  outcome: z.string(),
  detail: z.string(),
});
export type AuditEventOut = z.infer<typeof auditEvent>;

export const auditEvents = z.object({ events: z.array(auditEvent), page: z.number(), pageSize: z.number() });

export const unusualAccess = z.object({
  thresholds: z.object({
    deniedPerDay: z.number(),
    recordsPerDay: z.number(),
    quietHours: z.string(),
    days: z.number(),
  }),
  findings: z.array(
    z.object({
      rule: z.enum(['denied', 'many-records', 'quiet-hours', 'by-nhs-number']),
      actorName: z.string(),
      username: z.string().nullable(),
      role: z.string().nullable(),
      day: z.string(),
      count: z.number().int(),
    }),
  ),
});

export const breakGlassUses = z.object({
  awaitingReview: z.number().int(),
  uses: z.array(
    z.object({
      id: z.string(),
      actorName: z.string(),
      username: z.string(),
      role: z.string(),
      nhsNumber: z.string().nullable(),
      reason: z.string(),
      startedAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      reviewOutcome: z.enum(['appropriate', 'not-appropriate']).nullable(),
      reviewNote: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.iso.datetime().nullable(),
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
