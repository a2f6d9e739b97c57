// The repeat medicines of the synthetic population: each coded by the product's own id, with its name
// and British National Formulary section; the usual medicines of each long-term condition with a
// chance each (following NICE first-line choices), and those many older people take without one.
// Assumptions in docs/clinical/synthetic-population.md ("Repeat medicines"). Pure data.

export interface MedicineModel {
  id: string;
  name: string;
  /** British National Formulary section. */
  bnf: string;
}

const m = (id: string, name: string, bnf: string): MedicineModel => ({ id, name, bnf });

export const MEDICINES = {
  amlodipine: m('amlodipine', 'Amlodipine 5mg tablets', '2.6.2'),
  ramipril: m('ramipril', 'Ramipril 5mg capsules', '2.5.5.1'),
  losartan: m('losartan', 'Losartan 50mg tablets', '2.5.5.2'),
  indapamide: m('indapamide', 'Indapamide 2.5mg tablets', '2.2.1'),
  metformin: m('metformin', 'Metformin 500mg tablets', '6.1.2.2'),
  gliclazide: m('gliclazide', 'Gliclazide 80mg tablets', '6.1.2.1'),
  dapagliflozin: m('dapagliflozin', 'Dapagliflozin 10mg tablets', '6.1.2.3'),
  sitagliptin: m('sitagliptin', 'Sitagliptin 100mg tablets', '6.1.2.3'),
  insulinGlargine: m('insulin-glargine', 'Insulin glargine 100units/ml pre-filled pens', '6.1.1.2'),
  atorvastatin: m('atorvastatin', 'Atorvastatin 20mg tablets', '2.12'),
  aspirin: m('aspirin', 'Aspirin 75mg dispersible tablets', '2.9'),
  bisoprolol: m('bisoprolol', 'Bisoprolol 2.5mg tablets', '2.4'),
  gtn: m('glyceryl-trinitrate', 'Glyceryl trinitrate 400micrograms/dose sublingual spray', '2.6.1'),
  clopidogrel: m('clopidogrel', 'Clopidogrel 75mg tablets', '2.9'),
  apixaban: m('apixaban', 'Apixaban 5mg tablets', '2.8.2'),
  edoxaban: m('edoxaban', 'Edoxaban 60mg tablets', '2.8.2'),
  digoxin: m('digoxin', 'Digoxin 125microgram tablets', '2.1.1'),
  furosemide: m('furosemide', 'Furosemide 40mg tablets', '2.2.2'),
  spironolactone: m('spironolactone', 'Spironolactone 25mg tablets', '2.2.3'),
  tiotropium: m('tiotropium', 'Tiotropium 2.5micrograms/dose inhaler', '3.1.2'),
  salbutamol: m('salbutamol', 'Salbutamol 100micrograms/dose inhaler', '3.1.1.1'),
  fluticasoneSalmeterol: m('fluticasone-salmeterol', 'Fluticasone with salmeterol inhaler', '3.2'),
  beclometasone: m('beclometasone', 'Beclometasone 100micrograms/dose inhaler', '3.2'),
  donepezil: m('donepezil', 'Donepezil 10mg tablets', '4.11'),
  memantine: m('memantine', 'Memantine 20mg tablets', '4.11'),
  sertraline: m('sertraline', 'Sertraline 50mg tablets', '4.3.3'),
  citalopram: m('citalopram', 'Citalopram 20mg tablets', '4.3.3'),
  mirtazapine: m('mirtazapine', 'Mirtazapine 30mg tablets', '4.3.4'),
  olanzapine: m('olanzapine', 'Olanzapine 10mg tablets', '4.2.1'),
  aripiprazole: m('aripiprazole', 'Aripiprazole 10mg tablets', '4.2.1'),
  alendronicAcid: m('alendronic-acid', 'Alendronic acid 70mg tablets', '6.6.2'),
  calciumVitaminD: m(
    'calcium-colecalciferol',
    'Calcium carbonate with colecalciferol chewable tablets',
    '9.6.4',
  ),
  levetiracetam: m('levetiracetam', 'Levetiracetam 500mg tablets', '4.8.1'),
  lamotrigine: m('lamotrigine', 'Lamotrigine 100mg tablets', '4.8.1'),
  levothyroxine: m('levothyroxine', 'Levothyroxine 50microgram tablets', '6.2.1'),
  coCareldopa: m('co-careldopa', 'Co-careldopa 25mg/100mg tablets', '4.9.1'),
  omeprazole: m('omeprazole', 'Omeprazole 20mg gastro-resistant capsules', '1.3.5'),
  paracetamol: m('paracetamol', 'Paracetamol 500mg tablets', '4.7.1'),
  naproxen: m('naproxen', 'Naproxen 500mg tablets', '10.1.1'),
  codeine: m('codeine', 'Codeine 30mg tablets', '4.7.2'),
  solifenacin: m('solifenacin', 'Solifenacin 5mg tablets', '7.4.2'),
  tamsulosin: m('tamsulosin', 'Tamsulosin 400microgram modified-release capsules', '7.4.1'),
  zopiclone: m('zopiclone', 'Zopiclone 7.5mg tablets', '4.1.1'),
  ferrousFumarate: m('ferrous-fumarate', 'Ferrous fumarate 210mg tablets', '9.1.1.1'),
  sodiumValproate: m('sodium-valproate', 'Sodium valproate 500mg gastro-resistant tablets', '4.8.1'),
  methotrexate: m('methotrexate', 'Methotrexate 2.5mg tablets', '10.1.3'),
  folicAcid: m('folic-acid', 'Folic acid 5mg tablets', '9.1.2'),
} as const;

/** Repeat medicines prescribed for a condition, each with the chance that a person with it has one. */
export const MEDICINES_FOR: Record<string, readonly [MedicineModel, number][]> = {
  hypertension: [
    [MEDICINES.amlodipine, 0.45],
    [MEDICINES.ramipril, 0.35],
    [MEDICINES.losartan, 0.15],
    [MEDICINES.indapamide, 0.15],
  ],
  diabetes: [
    [MEDICINES.metformin, 0.75],
    [MEDICINES.gliclazide, 0.2],
    [MEDICINES.dapagliflozin, 0.25],
    [MEDICINES.sitagliptin, 0.15],
    [MEDICINES.insulinGlargine, 0.1],
    [MEDICINES.atorvastatin, 0.6],
  ],
  chd: [
    [MEDICINES.atorvastatin, 0.8],
    [MEDICINES.aspirin, 0.6],
    [MEDICINES.bisoprolol, 0.45],
    [MEDICINES.gtn, 0.3],
    [MEDICINES.clopidogrel, 0.2],
  ],
  'stroke-tia': [
    [MEDICINES.clopidogrel, 0.7],
    [MEDICINES.atorvastatin, 0.8],
  ],
  'atrial-fibrillation': [
    [MEDICINES.apixaban, 0.55],
    [MEDICINES.edoxaban, 0.2],
    [MEDICINES.bisoprolol, 0.5],
    [MEDICINES.digoxin, 0.08],
  ],
  'heart-failure': [
    [MEDICINES.ramipril, 0.55],
    [MEDICINES.bisoprolol, 0.6],
    [MEDICINES.furosemide, 0.6],
    [MEDICINES.spironolactone, 0.3],
    [MEDICINES.dapagliflozin, 0.2],
  ],
  copd: [
    [MEDICINES.tiotropium, 0.5],
    [MEDICINES.salbutamol, 0.8],
    [MEDICINES.fluticasoneSalmeterol, 0.4],
  ],
  asthma: [
    [MEDICINES.salbutamol, 0.9],
    [MEDICINES.beclometasone, 0.6],
  ],
  ckd: [[MEDICINES.atorvastatin, 0.5]],
  dementia: [
    [MEDICINES.donepezil, 0.5],
    [MEDICINES.memantine, 0.2],
  ],
  depression: [
    [MEDICINES.sertraline, 0.3],
    [MEDICINES.citalopram, 0.2],
    [MEDICINES.mirtazapine, 0.15],
  ],
  'severe-mental-illness': [
    [MEDICINES.olanzapine, 0.35],
    [MEDICINES.aripiprazole, 0.3],
  ],
  osteoporosis: [
    [MEDICINES.alendronicAcid, 0.6],
    [MEDICINES.calciumVitaminD, 0.6],
  ],
  epilepsy: [
    [MEDICINES.levetiracetam, 0.4],
    [MEDICINES.lamotrigine, 0.35],
    [MEDICINES.sodiumValproate, 0.2],
  ],
  'peripheral-arterial-disease': [
    [MEDICINES.clopidogrel, 0.6],
    [MEDICINES.atorvastatin, 0.7],
  ],
  'rheumatoid-arthritis': [
    [MEDICINES.methotrexate, 0.6],
    [MEDICINES.folicAcid, 0.55],
  ],
  osteoarthritis: [
    [MEDICINES.paracetamol, 0.4],
    [MEDICINES.naproxen, 0.12],
    [MEDICINES.codeine, 0.1],
  ],
  hypothyroidism: [[MEDICINES.levothyroxine, 0.9]],
  parkinsonism: [[MEDICINES.coCareldopa, 0.7]],
  'peptic-ulcer': [[MEDICINES.omeprazole, 0.7]],
  anaemia: [[MEDICINES.ferrousFumarate, 0.5]],
  'urinary-incontinence': [[MEDICINES.solifenacin, 0.3]],
  'urinary-system-disease': [[MEDICINES.tamsulosin, 0.25]],
  'sleep-disturbance': [[MEDICINES.zopiclone, 0.2]],
  'fragility-fracture': [
    [MEDICINES.alendronicAcid, 0.4],
    [MEDICINES.calciumVitaminD, 0.5],
  ],
};

/** Medicines many older people take without a condition above: a chance per decade of age from 40. */
export const BACKGROUND_MEDICINES: readonly [MedicineModel, number][] = [
  [MEDICINES.omeprazole, 0.035],
  [MEDICINES.atorvastatin, 0.04],
  [MEDICINES.paracetamol, 0.02],
  [MEDICINES.calciumVitaminD, 0.012],
];
