import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvRows } from './csv-rows.ts';
import { type EfiInput, efiBand, scoreEfi } from './efi.ts';
import { loadEfiCodeList } from './efi-codes.ts';
import { readReference } from './reference-files.test-helper.ts';

const codeList = loadEfiCodeList({
  codesCsv: readReference('frailty/efi/efi_codes_gm_sde.csv'),
  errataCsv: readReference('frailty/efi/efi_codes_errata.csv'),
  deficitsCsv: readReference('frailty/efi/efi_deficits.csv'),
});

/** One SNOMED CT code per coded deficit, each in exactly one deficit of the real list. */
const ONE_CODE_PER_DEFICIT: readonly [string, string][] = [
  ['44054006', 'diabetes'], // Diabetes mellitus type 2
  ['38341003', 'hypertension'], // Hypertensive disorder, systemic arterial
  ['49436004', 'atrial-fibrillation'], // Atrial fibrillation
  ['161898004', 'falls'], // Falls
  ['13645005', 'respiratory-disease'], // Chronic obstructive lung disease
  ['433144002', 'ckd'], // Chronic kidney disease stage 3
  ['194828000', 'chd'], // Angina
  ['26929004', 'cognitive-problems'], // Alzheimer's disease
  ['15188001', 'hearing-loss'], // Hearing loss
  ['10633002', 'heart-failure'], // Acute congestive heart failure
  ['102447009', 'osteoporosis'], // Postmenopausal osteoporosis
  ['111640008', 'fragility-fracture'], // Closed fracture of radius
  ['160689007', 'housebound'], // Housebound
  ['161832001', 'weight-loss'], // Weight decreasing
  ['162201008', 'sleep-disturbance'], // Insomnia
];

const INDEX = '2026-06-30';

function personWith(deficits: number, medicines: EfiInput['medicines'] = []): EfiInput {
  const codes = ONE_CODE_PER_DEFICIT.slice(0, deficits).map(([code]) => ({ code, date: '2020-01-01' }));
  return { codes, medicines, indexDate: INDEX };
}

function medicines(n: number, start = '2025-01-01', end: string | null = null): EfiInput['medicines'] {
  return Array.from({ length: n }, (_, i) => ({ medicine: `medicine ${i + 1}`, start, end }));
}

describe('eFI code list', () => {
  it('has 36 deficits and one SNOMED code per deficit in the test set', () => {
    assert.equal(codeList.deficits.length, 36);
    for (const [code, deficit] of ONE_CODE_PER_DEFICIT)
      assert.deepEqual(codeList.deficitsByCode.get(code), [deficit]);
  });

  it('drops all 12 errata pairs and keeps the codes in their right deficits', () => {
    assert.equal(codeList.droppedByErrata, 12);
    assert.deepEqual(codeList.deficitsByCode.get('73211009'), ['diabetes']);
    assert.deepEqual(codeList.deficitsByCode.get('64859006'), ['osteoporosis']);
  });

  it('without the errata the source list would count diabetes as CKD too', () => {
    const unchecked = loadEfiCodeList({
      codesCsv: readReference('frailty/efi/efi_codes_gm_sde.csv'),
      errataCsv: 'coding_system,code,description,deficit_to_drop,reason\n',
      deficitsCsv: readReference('frailty/efi/efi_deficits.csv'),
    });
    assert.equal(unchecked.droppedByErrata, 0);
    assert.deepEqual([...(unchecked.deficitsByCode.get('73211009') ?? [])].sort(), ['ckd', 'diabetes']);
    assert.deepEqual([...(unchecked.deficitsByCode.get('64859006') ?? [])].sort(), [
      'fragility-fracture',
      'osteoporosis',
    ]);
  });

  it('holds each SNOMED code once: 2,040 codes less 4 whose only deficits were errata', () => {
    assert.equal(codeList.deficitsByCode.size, 2036);
    for (const code of ['447741000000101', '271873000', '49808004', '501661000000103']) {
      assert.equal(codeList.deficitsByCode.has(code), false, code);
    }
    for (const deficits of codeList.deficitsByCode.values())
      assert.equal(new Set(deficits).size, deficits.length);
  });

  it('keeps legitimate double codes (diabetic CKD counts for diabetes and CKD)', () => {
    assert.deepEqual([...(codeList.deficitsByCode.get('420715001') ?? [])].sort(), ['ckd', 'diabetes']);
  });

  it('refuses an erratum that is not in the list', () => {
    assert.throws(
      () =>
        loadEfiCodeList({
          codesCsv: readReference('frailty/efi/efi_codes_gm_sde.csv'),
          errataCsv: 'coding_system,code,description,deficit_to_drop,reason\nsnomed,1,x,falls,typo\n',
          deficitsCsv: readReference('frailty/efi/efi_deficits.csv'),
        }),
      /errata not in the code list: 1\|falls/,
    );
  });
});

describe('scoreEfi', () => {
  it('worked example: five conditions and five medicines are 6/36, mild', () => {
    const result = scoreEfi(personWith(5, medicines(5)), codeList);
    assert.equal(result.deficits, 6);
    assert.equal(result.score, 6 / 36);
    assert.equal(result.band, 'mild');
    assert.equal(result.modelVersion, 'efi-clegg2016-snomed/1.1.0');
    assert.deepEqual(result.contributions, [
      { deficit: 'atrial-fibrillation', label: 'Atrial fibrillation', evidence: '49436004' },
      { deficit: 'diabetes', label: 'Diabetes', evidence: '44054006' },
      { deficit: 'falls', label: 'Falls', evidence: '161898004' },
      { deficit: 'hypertension', label: 'Hypertension', evidence: '38341003' },
      { deficit: 'polypharmacy', label: 'Polypharmacy', evidence: 'polypharmacy: 5 medicines' },
      { deficit: 'respiratory-disease', label: 'Respiratory disease', evidence: '13645005' },
    ]);
  });

  for (const [deficits, band] of [
    [0, 'fit'],
    [4, 'fit'],
    [5, 'mild'],
    [8, 'mild'],
    [9, 'moderate'],
    [12, 'moderate'],
    [13, 'severe'],
  ] as const) {
    it(`${deficits} deficits are ${band}`, () => {
      const result = scoreEfi(personWith(deficits), codeList);
      assert.equal(result.deficits, deficits);
      assert.equal(result.score, deficits / 36);
      assert.equal(result.band, band);
    });
  }

  it('bands 13/36 as severe although it prints as 0.36', () => {
    const result = scoreEfi(personWith(13), codeList);
    assert.equal(result.score.toFixed(2), '0.36');
    assert.equal(result.band, 'severe');
  });

  it('agrees with efi_thresholds.csv for every count from 0 to 36', () => {
    const rows = csvRows(readReference('frailty/efi/efi_thresholds.csv'));
    for (let n = 0; n <= 36; n++) {
      const fraction = n / 36;
      const row = rows.find(
        (r) =>
          (r.lower_exclusive === '' || fraction > Number(r.lower_exclusive)) &&
          (r.upper_inclusive === '' || fraction <= Number(r.upper_inclusive)),
      );
      assert.equal(efiBand(n), row?.category, `${n} deficits`);
    }
  });

  it('does not count codes dated after the index date, but counts the index date itself', () => {
    const input: EfiInput = {
      codes: [
        { code: '44054006', date: '2026-07-01' },
        { code: '38341003', date: INDEX },
      ],
      medicines: [],
      indexDate: INDEX,
    };
    const result = scoreEfi(input, codeList);
    assert.deepEqual(
      result.contributions.map((c) => c.deficit),
      ['hypertension'],
    );
  });

  it('errata: Diabetes mellitus (73211009) is not CKD; Osteoporosis (64859006) is not a fracture', () => {
    const input: EfiInput = {
      codes: [
        { code: '73211009', date: '2019-03-01' },
        { code: '64859006', date: '2019-03-01' },
      ],
      medicines: [],
      indexDate: INDEX,
    };
    const result = scoreEfi(input, codeList);
    assert.equal(result.deficits, 2);
    assert.deepEqual(
      result.contributions.map((c) => c.deficit),
      ['diabetes', 'osteoporosis'],
    );
  });

  it('counts a deficit once however many codes point to it, with the earliest as evidence', () => {
    const input: EfiInput = {
      codes: [
        { code: '44054006', date: '2021-01-01' },
        { code: '44054006', date: '2021-01-01' },
        { code: '73211009', date: '2018-05-05' },
        { code: '46635009', date: '2022-01-01' },
      ],
      medicines: [],
      indexDate: INDEX,
    };
    const result = scoreEfi(input, codeList);
    assert.equal(result.deficits, 1);
    assert.deepEqual(result.contributions, [
      { deficit: 'diabetes', label: 'Diabetes', evidence: '73211009' },
    ]);
  });

  it('ignores codes that are not in the list', () => {
    const input: EfiInput = {
      codes: [{ code: '999999999', date: '2020-01-01' }],
      medicines: [],
      indexDate: INDEX,
    };
    assert.equal(scoreEfi(input, codeList).deficits, 0);
  });

  it('polypharmacy needs five different medicines, not four', () => {
    assert.equal(scoreEfi(personWith(0, medicines(4)), codeList).deficits, 0);
    const five = scoreEfi(personWith(0, medicines(5)), codeList);
    assert.deepEqual(five.contributions, [
      { deficit: 'polypharmacy', label: 'Polypharmacy', evidence: 'polypharmacy: 5 medicines' },
    ]);
  });

  it('counts the same medicine prescribed twice once', () => {
    const repeated = [...medicines(4), { medicine: ' Medicine 1 ', start: '2026-01-01', end: null }];
    assert.equal(scoreEfi(personWith(0, repeated), codeList).deficits, 0);
  });

  it('does not count a medicine ended 13 months before the index date', () => {
    const ended = { medicine: 'old medicine', start: '2024-01-01', end: '2025-05-30' };
    assert.equal(scoreEfi(personWith(0, [...medicines(4), ended]), codeList).deficits, 0);
  });

  it('counts a medicine ended 11 months before the index date', () => {
    const ended = { medicine: 'recent medicine', start: '2024-01-01', end: '2025-07-30' };
    assert.equal(scoreEfi(personWith(0, [...medicines(4), ended]), codeList).deficits, 1);
  });

  it('window boundaries: ended exactly a year before is out, a day later is in; started after the index is out', () => {
    const endedOnBoundary = { medicine: 'a', start: '2024-01-01', end: '2025-06-30' };
    const endedDayAfter = { medicine: 'b', start: '2024-01-01', end: '2025-07-01' };
    const startsLater = { medicine: 'c', start: '2026-07-01', end: null };
    assert.equal(scoreEfi(personWith(0, [...medicines(4), endedOnBoundary]), codeList).deficits, 0);
    assert.equal(scoreEfi(personWith(0, [...medicines(4), endedDayAfter]), codeList).deficits, 1);
    assert.equal(scoreEfi(personWith(0, [...medicines(4), startsLater]), codeList).deficits, 0);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    assert.throws(
      () => scoreEfi({ codes: [], medicines: [], indexDate: '30/06/2026' }, codeList),
      /indexDate/,
    );
  });
});
