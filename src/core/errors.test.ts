import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, codeForStatus, type ErrorCode, STATUS_BY_CODE, toOperationOutcome } from './errors.ts';

test('an AppError becomes an OperationOutcome carrying the request id and field paths', () => {
  const error = new AppError('invalid', 'The request is not valid.', [
    { diagnostics: 'rules.0.value must be a number', expression: ['rules.0.value'] },
  ]);
  assert.equal(error.status, 400);
  assert.deepEqual(toOperationOutcome(error, 'req-1'), {
    resourceType: 'OperationOutcome',
    id: 'req-1',
    issue: [
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: 'rules.0.value must be a number',
        expression: ['rules.0.value'],
      },
    ],
  });
});

test('an error without problems still has one issue, its message', () => {
  const outcome = toOperationOutcome(new AppError('not-found', 'No such place.'), 'r');
  assert.deepEqual(outcome.issue, [{ severity: 'error', code: 'not-found', diagnostics: 'No such place.' }]);
});

test('the one status table maps each code to a distinct status and back', () => {
  const statuses = Object.values(STATUS_BY_CODE);
  assert.equal(new Set(statuses).size, statuses.length);
  for (const [code, status] of Object.entries(STATUS_BY_CODE))
    assert.equal(codeForStatus(status), code as ErrorCode);
  assert.equal(codeForStatus(418), 'invalid');
  assert.equal(codeForStatus(502), 'internal');
});
