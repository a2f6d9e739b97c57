// The members CSV: formulas made plain text, and choices in words as the pages show them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { membersCsv } from './members-out.ts';

describe('cohort CSV export', () => {
  test('cells that a spreadsheet would run as a formula are neutralised', () => {
    const member = {
      personId: 'p',
      name: '=HYPERLINK("http://example.invalid","click")',
      nhsNumber: '+44 1234',
      dateOfBirth: '1950-01-01',
      age: 75,
      sex: '-female',
      neighbourhood: '@east',
      practice: 'P1',
      practiceName: 'P1',
      imdDecile: 1,
      segment: 'healthy',
      efiBand: 'fit',
      efiDeficits: 0,
      hfrsScore: 0,
      hfrsBand: 'low',
      charlsonScore: 0,
      conditions: 0,
      ed12m: 0,
      emergency12m: 0,
    };
    const [, row] = membersCsv([member], {}).trim().split('\n');
    assert.ok(row);
    assert.ok(!/(^|,)"?[=+\-@]/.test(row), row);
    assert.match(row, /'=HYPERLINK/);
    assert.match(row, /'\+44 1234/);
    assert.match(row, /'-female/);
    assert.match(row, /'@east/);
  });

  test('choices are in words as the pages show them, and the practice has its ODS code beside its name', () => {
    const member = {
      personId: 'p',
      name: 'Ada Example',
      nhsNumber: '999 000 0018',
      dateOfBirth: '1940-05-01',
      age: 85,
      sex: 'female',
      neighbourhood: 'east',
      practice: 'P83001',
      practiceName: 'Example Surgery (P83001)',
      imdDecile: 2,
      segment: 'frailty-dementia',
      efiBand: 'moderate',
      efiDeficits: 9,
      hfrsScore: 6.5,
      hfrsBand: 'intermediate',
      charlsonScore: 3,
      conditions: 4,
      ed12m: 2,
      emergency12m: 1,
    };
    const vocabulary = {
      sex: [{ value: 'female', label: 'Female' }],
      neighbourhood: [{ value: 'east', label: 'East' }],
      segment: [{ value: 'frailty-dementia', label: 'Frailty and dementia' }],
      efiBand: [{ value: 'moderate', label: 'Moderate frailty' }],
      hfrsBand: [{ value: 'intermediate', label: 'Intermediate risk (5 to 15)' }],
    };
    const [header, row] = membersCsv([member], vocabulary).trim().split('\n');
    assert.equal(
      header,
      'NHS number,Name,Date of birth,Age,Sex,Neighbourhood,GP practice,GP practice ODS code,IMD 2019 decile,Population segment,Frailty (eFI),eFI deficits,HFRS,HFRS band,Charlson,Long-term conditions,A&E attendances (12 months),Emergency admissions (12 months)',
    );
    assert.equal(
      row,
      '999 000 0018,Ada Example,1940-05-01,85,Female,East,Example Surgery (P83001),P83001,2,Frailty and dementia,Moderate frailty,9,6.5,Intermediate risk (5 to 15),3,4,2,1',
    );
  });
});
