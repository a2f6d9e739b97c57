import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charlsonBand, scoreCharlson } from './charlson.ts';
import { loadCharlsonCodeList } from './charlson-codes.ts';
import { readReference } from './reference-files.test-helper.ts';

const codeList = loadCharlsonCodeList(readReference('comorbidity/charlson_icd10_quan2005.csv'));

function charlson1987(diagnoses: string[]) {
  return scoreCharlson({ diagnoses }, codeList, { weights: 'charlson1987' });
}
function quan2011(diagnoses: string[]) {
  return scoreCharlson({ diagnoses }, codeList, { weights: 'quan2011' });
}

describe('Charlson code list', () => {
  it('has the 17 categories of Quan 2005', () => {
    assert.equal(codeList.length, 17);
    const metastatic = codeList.find((c) => c.category === 'metastatic_solid_tumour');
    assert.deepEqual(metastatic?.prefixes, ['C77', 'C78', 'C79', 'C80']);
    assert.deepEqual(metastatic?.weights, { charlson1987: 6, quan2011: 6 });
  });
});

describe('scoreCharlson', () => {
  const sick = ['I21.9', 'I50.0', 'E11.9', 'E11.2', 'K70.3', 'K70.4', 'C34.1', 'C78.0', 'F03'];

  it('worked example, Charlson 1987 weights: 14', () => {
    const result = charlson1987(sick);
    // MI 1 + CHF 1 + dementia 1 + diabetes with complication 2 + severe liver 3 + metastatic 6
    assert.equal(result.score, 14);
    assert.equal(result.band, '5+');
    assert.equal(result.modelVersion, 'charlson-quan2005/1.0.0 weights=charlson1987');
    assert.deepEqual(
      result.contributions.map((c) => [c.category, c.points, c.evidence, c.outrankedBy]),
      [
        ['myocardial_infarction', 1, 'I21.9', undefined],
        ['congestive_heart_failure', 1, 'I50.0', undefined],
        ['dementia', 1, 'F03', undefined],
        ['mild_liver_disease', 0, 'K70.3', 'moderate_severe_liver_disease'],
        ['diabetes_without_complication', 0, 'E11.9', 'diabetes_with_complication'],
        ['diabetes_with_complication', 2, 'E11.2', undefined],
        ['any_malignancy', 0, 'C34.1', 'metastatic_solid_tumour'],
        ['moderate_severe_liver_disease', 3, 'K70.4', undefined],
        ['metastatic_solid_tumour', 6, 'C78.0', undefined],
      ],
    );
  });

  it('worked example, Quan 2011 weights: 15', () => {
    // MI 0 + CHF 2 + dementia 2 + diabetes with complication 1 + severe liver 4 + metastatic 6
    const result = quan2011(sick);
    assert.equal(result.score, 15);
    assert.equal(result.modelVersion, 'charlson-quan2005/1.0.0 weights=quan2011');
  });

  it('takes the milder category alone when the severe one is absent', () => {
    assert.equal(charlson1987(['E11.9']).score, 1);
    assert.equal(quan2011(['E11.9']).score, 0);
    assert.equal(charlson1987(['K70.3']).score, 1);
    assert.equal(quan2011(['K70.3']).score, 2);
    assert.equal(charlson1987(['C50.9']).score, 2);
  });

  it('matches 4-character prefixes exactly: I25.2 is an old MI, I25.1 is not', () => {
    assert.equal(charlson1987(['I25.2']).score, 1);
    assert.equal(charlson1987(['I25.1']).score, 0);
    assert.equal(charlson1987(['F05.1']).score, 1);
    assert.equal(charlson1987(['F05.0']).score, 0);
  });

  it('counts melanoma (C43) but not other skin cancer (C44)', () => {
    assert.equal(charlson1987(['C43.9']).score, 2);
    assert.equal(charlson1987(['C44.3']).score, 0);
  });

  it('counts a category once however many codes point to it', () => {
    const result = charlson1987(['J44.1', 'J44.9', 'J45.0', 'j44.1']);
    assert.equal(result.score, 1);
    assert.equal(result.contributions.length, 1);
  });

  it('bands at 0, 1-2, 3-4 and 5+', () => {
    assert.equal(charlson1987([]).band, '0');
    assert.equal(charlson1987(['N18.4']).band, '1-2');
    assert.equal(charlson1987(['N18.4', 'J44.1']).band, '3-4');
    assert.equal(charlson1987(['N18.4', 'G81.9']).band, '3-4');
    assert.equal(charlson1987(['N18.4', 'G81.9', 'J44.1']).band, '5+');
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(charlsonBand), ['0', '1-2', '1-2', '3-4', '3-4', '5+']);
  });
});
