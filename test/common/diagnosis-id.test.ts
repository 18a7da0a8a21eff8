import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_IDS, isDiagnosisId } from '../../electron/common/diagnosis-id.js';
import { sampleSchema } from '../../electron/common/model-schema.js';
import { validate } from '../../electron/common/schema.js';
import { makeSample } from '../node/service/make-sample.js';

const diagnosis = (id: string) => ({ id, severity: 'warning', title: 't', summary: 's', evidence: [], recommendations: [] });

describe('diagnosis ids', () => {
  it('knows each id once', () => {
    expect(new Set(DIAGNOSIS_IDS).size).toBe(DIAGNOSIS_IDS.length);
    for (const id of DIAGNOSIS_IDS) expect(isDiagnosisId(id)).toBe(true);
    for (const v of ['made-up', 'TIME-WAIT-CHURN', '', 42, null, undefined]) expect(isDiagnosisId(v)).toBe(false);
  });

  it('lets a sample through with a known id and refuses one with an unknown id, naming the field', () => {
    const ok = { ...makeSample(1), diagnoses: [diagnosis('close-wait-leak')] };
    expect(validate(sampleSchema, ok, 'sample').ok).toBe(true);
    const bad = validate(sampleSchema, { ...makeSample(1), diagnoses: [diagnosis('made-up')] }, 'sample');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('sample.diagnoses[0].id');
  });
});
