// `joinedup cases demo`: open a demo caseload across the place's Integrated Neighbourhood Teams, for
// exploring case management on synthetic data (and for the case-management benchmark).

import { seedDemoCases } from '../cases/demo-cases.ts';
import { DEMO_CASES } from '../cases/demo-defaults.ts';
import type { Config } from '../core/config.ts';
import { todayInEngland } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { onShutdown, openDatabase } from './open-db.ts';

export interface CasesDemoOptions {
  perTeam?: string;
  seed?: string;
  place?: string;
}

function count(value: string | undefined, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll(',', '').replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0 || n > max) {
    const message = `${option} must be a whole number from 0 to ${max.toLocaleString('en-GB')}, not "${value}"`;
    throw new AppError('invalid', message, [
      { diagnostics: message, expression: [option.replace(/^--/, '')] },
    ]);
  }
  return n;
}

export async function casesDemoCommand(config: Config, options: CasesDemoOptions): Promise<void> {
  const perTeam = count(options.perTeam, '--per-team', DEMO_CASES.perTeam, 10_000);
  const seed = count(options.seed, '--seed', DEMO_CASES.seed, 2 ** 31 - 1);
  const placeId = options.place ?? config.place;
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    const started = performance.now();
    const counts = await seedDemoCases(db.kysely, placeId, { perTeam, seed, today: todayInEngland() });
    const seconds = (performance.now() - started) / 1000;
    const n = (v: number) => v.toLocaleString('en-GB');
    if (counts.teams.length === 0) {
      console.log(
        `No demo cases opened: ${placeId} has no Integrated Neighbourhood Teams. Load its place pack first.`,
      );
      return;
    }
    if (counts.cases === 0 && counts.teams.every((t) => t.alreadyOpen === 0)) {
      console.log(
        `No demo cases opened: ${placeId} has no residents with risk scores yet. Run \`joinedup synth\` first.`,
      );
      return;
    }
    console.log(
      `Opened ${n(counts.cases)} demo cases in ${db.location} in ${seconds.toFixed(1)} s, each with an accepted referral, ` +
        `a plan and its first version: ${n(counts.actions)} plan actions; consent to share given in ${n(counts.consentsGiven)}.`,
    );
    for (const t of counts.teams)
      console.log(
        `  ${t.teamName}: ${n(t.opened)} opened` +
          (t.alreadyOpen > 0 ? `, ${n(t.alreadyOpen)} already had an open case` : ''),
      );
    const left = counts.skipped - counts.teams.reduce((sum, t) => sum + t.alreadyOpen, 0);
    if (left > 0)
      console.log(
        `  ${n(left)} people chosen were left alone: a referral of theirs awaits triage, or their case was opened meanwhile.`,
      );
  } finally {
    await db.close();
  }
}
