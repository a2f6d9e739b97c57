// The `joinedup` command line: thin commands over the same services the server uses.
import { Command, CommanderError } from 'commander';
import { ALL_ROLES } from '../access/roles.ts';
import { DEMO_CASES } from '../cases/demo-defaults.ts';
import { readConfig } from '../core/config.ts';
import { isAppError } from '../core/errors.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { DEFAULT_SYNTH } from '../synth/synth-defaults.ts';
import type { CasesDemoOptions } from './cases-demo.ts';
import type { DirectoryReviewsOptions } from './directory.ts';
import type { ExportCliOptions, ImportCliOptions } from './import.ts';
import type { StaffAddOptions } from './staff.ts';
import type { SynthCliOptions } from './synth.ts';

// Each command loads its own code when it runs, so that a small command (listing imports, checking
// the audit trail) does not load everything (the generator alone holds some hundred megabytes).
const serveModule = () => import('./serve.ts');
const dbModule = () => import('./open-db.ts');

const program = new Command('joinedup')
  .description('Joined Up: neighbourhood health and care')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('run the web app and API (what `npm start` runs)')
  .action(async () => {
    await (await serveModule()).serve(readConfig());
  });

const db = program.command('db').description('the database');
db.command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = readConfig();
    const { openDatabase } = await dbModule();
    const { migrateToLatest } = await import('../db/migrate.ts');
    const handle = await openDatabase({ ...config });
    try {
      const applied = await migrateToLatest(handle.kysely);
      console.log(
        applied.length === 0
          ? `The schema of ${handle.location} is up to date.`
          : `Applied ${applied.join(', ')}.`,
      );
    } finally {
      await handle.close();
    }
  });

const place = program.command('place').description('places: neighbourhoods, wards, LSOAs, practices, teams');
place
  .command('load')
  .argument('<dir>', 'a place pack folder, such as place-packs/bury')
  .description('validate a place pack and load it, replacing that place; a bad pack changes nothing')
  .action(async (dir: string) => {
    const { openDatabase, onShutdown } = await dbModule();
    const { loadPlacePack } = await import('../place/load-place-pack.ts');
    const { refreshProfilesIfStratified } = await import('../profiles/refresh-profiles.ts');
    const { describeProfiles } = await import('./profiles.ts');
    const handle = await openDatabase(readConfig());
    onShutdown(() => handle.close());
    try {
      const pack = await loadPlacePack(handle.kysely, dir);
      console.log(
        `Loaded ${pack.name}: ${pack.neighbourhoods.length} neighbourhoods, ${pack.wards.length} wards, ` +
          `${pack.lsoas.length} LSOAs, ${pack.practices.length} practices, ${pack.teams.length} teams, ` +
          `${pack.directory.services.length} directory services.`,
      );
      // Its areas may have changed: a stratified place's profiles are recomputed on them.
      const profiles = await refreshProfilesIfStratified(handle, pack.id);
      if (profiles) console.log(describeProfiles(profiles));
    } finally {
      await handle.close();
    }
  });
place
  .command('show')
  .argument('[neighbourhood]', 'a neighbourhood code, such as east')
  .option('--json', 'print JSON instead of a table')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .description('show a place, or one of its neighbourhoods')
  .action(async (neighbourhood: string | undefined, options: { json?: boolean; place?: string }) => {
    const config = readConfig();
    const { openDatabase } = await dbModule();
    const { placeShow } = await import('./place-show.ts');
    const handle = await openDatabase(config);
    try {
      console.log(
        await placeShow(handle.kysely, options.place ?? config.place, neighbourhood, options.json === true),
      );
    } finally {
      await handle.close();
    }
  });

const synth = program
  .command('synth')
  .description('generate a synthetic population for a place and load it, replacing the previous one')
  .option('--place <id>', 'the place pack (default: JOINEDUP_PLACE or bury)')
  .option('--people <n>', "how many residents (default: the place's published population)")
  .option('--seed <n>', 'the same seed gives the same people', String(DEFAULT_SYNTH.seed))
  .option('--start <date>', 'first day of the history window, YYYY-MM-DD', DEFAULT_SYNTH.start)
  .option('--end <date>', 'last day of the history window, YYYY-MM-DD', DEFAULT_SYNTH.end)
  .option('--fhir-out <dir>', 'also write the population as FHIR R4 NDJSON, one file per resource type')
  .action(async (options: SynthCliOptions) => {
    await (await import('./synth.ts')).synthCommand(readConfig(), options);
  });
synth
  .command('report')
  .description('the published figures beside the same figures measured on the synthetic population')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .option('--json', 'print JSON instead of a table')
  // `synth report --place X`: the parent command's own --place takes the option, so look there too.
  .action(async (options: { place?: string; json?: boolean }) => {
    const place = options.place ?? (synth.opts() as SynthCliOptions).place;
    process.exitCode = await (await import('./synth.ts')).synthReportCommand(readConfig(), {
      ...options,
      place,
    });
  });

program
  .command('stratify')
  .description('recompute every risk model, flag and segment for a place, inside the database')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .option(
    '--as-of <date>',
    'the date the scores are as of, YYYY-MM-DD (default: the end of a synthetic history, or today)',
  )
  .action(async (options: { place?: string; asOf?: string }) => {
    await (await import('./stratify.ts')).stratifyCommand(readConfig(), options);
  });

program
  .command('import <paths...>')
  .description(
    'take in FHIR R4 NDJSON, FHIR Bundles (.json) or CSV extracts, or folders of them; a file imported before is not taken again, and an interrupted one resumes',
  )
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .option('--no-stratify', 'do not recompute the risk scores and profiles afterwards')
  .option('--as-of <date>', 'the date the scores are recomputed as of, YYYY-MM-DD (default: today)')
  .action(async (paths: string[], options: ImportCliOptions) => {
    process.exitCode = await (await import('./import.ts')).importCommand(readConfig(), paths, options);
  });
program
  .command('export')
  .description('write data out')
  .command('fhir')
  .description(
    "the place's people, records, care plans, referrals and audit trail as FHIR R4 NDJSON, one file per resource type (FHIR Bulk Data layout)",
  )
  .requiredOption(
    '--out <dir>',
    'the folder to write into (made if missing; files of the same names are replaced)',
  )
  .option('--types <list>', 'only these resource types, separated by commas, e.g. Patient,Condition')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .action(async (options: ExportCliOptions) => {
    await (await import('./import.ts')).exportCommand(readConfig(), options);
  });
program
  .command('imports')
  .description('the latest import jobs: status, counts and problems')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .action(async (options: { place?: string }) => {
    await (await import('./import.ts')).importsCommand(readConfig(), options);
  });

program
  .command('profiles')
  .description('recompute the neighbourhood profiles, maps and outcomes framework of a stratified place')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .action(async (options: { place?: string }) => {
    await (await import('./profiles.ts')).profilesCommand(readConfig(), options);
  });

const staff = program.command('staff').description('staff accounts');
staff
  .command('add <username>')
  .description('add a staff account; its password is read from JOINEDUP_STAFF_PASSWORD')
  .requiredOption('--role <role>', `one of: ${ALL_ROLES.join(', ')}`)
  .requiredOption('--name <name>', 'the name colleagues know them by')
  .option('--team <id>', 'their team, e.g. int-east (INT and other team roles)')
  .option('--practice <ods>', 'their GP practice ODS code (GP / practice staff)')
  .option('--agency <id>', 'the agency they work for, e.g. bury-council-adult-social-care or an ODS code')
  .option('--practitioner <id>', 'their practitioner in the place pack, e.g. int-east-social-worker')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .option('--oidc-issuer <url>', 'OpenID Connect issuer the account signs in with')
  .option('--oidc-subject <sub>', 'their subject (sub) at that issuer')
  .action(async (username: string, options: StaffAddOptions) => {
    await (await import('./staff.ts')).staffAddCommand(readConfig(), username, options);
  });

program
  .command('cases')
  .description('case management')
  .command('demo')
  .description(
    'open demo cases across the INTs, with referrals, plans and actions (synthetic data only); running it again adds none',
  )
  .option('--per-team <n>', 'people to choose for each INT', String(DEMO_CASES.perTeam))
  .option(
    '--seed <n>',
    'the same seed chooses the same people and writes the same cases',
    String(DEMO_CASES.seed),
  )
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .action(async (options: CasesDemoOptions) => {
    await (await import('./cases-demo.ts')).casesDemoCommand(readConfig(), options);
  });

program
  .command('directory')
  .description('the services directory')
  .command('reviews')
  .description('running services overdue for review or due within 30 days, soonest first')
  .option('--csv', 'as CSV, for a spreadsheet or an email')
  .option('--place <id>', 'the place (default: JOINEDUP_PLACE or bury)')
  .action(async (options: DirectoryReviewsOptions) => {
    await (await import('./directory.ts')).directoryReviewsCommand(readConfig(), options);
  });

program
  .command('audit')
  .description('the audit trail of who accessed whose data')
  .command('verify')
  .description('check the audit trail: every event unchanged and none missing (exits 1 if not)')
  .action(async () => {
    process.exitCode = await (await import('./audit-verify.ts')).auditVerifyCommand(readConfig());
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (isAppError(e)) {
    console.error(e.message);
    for (const p of e.problems) if (p.diagnostics !== e.message) console.error(`  - ${p.diagnostics}`);
    process.exit(2);
  }
  if (e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(3);
  }
  console.error((e as Error).message);
  process.exit(1);
}
