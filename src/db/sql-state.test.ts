import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { databaseTurnedAway, databaseUnreachable, refusedAs, sqlStateOf } from './sql-state.ts';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('database error codes', () => {
  test('the SQLSTATE is read from either driver’s error, and given to a value refused before it is sent', () => {
    assert.equal(sqlStateOf(withCode('23505')), '23505');
    assert.equal(sqlStateOf(new Error('no code')), undefined);
    assert.equal(sqlStateOf(null), undefined);
    assert.equal(sqlStateOf(refusedAs('22P02', 'not a person id')), '22P02');
  });

  test('a database gone or not answering is told from a fault of the request or the code', () => {
    for (const code of [
      '08006',
      '08001',
      '08003',
      '53300',
      '57P01',
      '57P03',
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
    ])
      assert.equal(databaseUnreachable(withCode(code)), true, code);
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ])
      assert.equal(databaseUnreachable(new Error(message)), true, message);
    // A protocol violation is the client's fault (too many parameters, say), as are refusals of data.
    for (const code of ['08P01', '23505', '22P02', '53100', '42P01'])
      assert.equal(databaseUnreachable(withCode(code)), false, code);
    assert.equal(databaseUnreachable(new Error('Connection terminated')), false, 'our own close');
    assert.equal(databaseUnreachable(new TypeError('x is undefined')), false);
    assert.equal(
      databaseUnreachable('Connection terminated unexpectedly'),
      false,
      'a string is not an error',
    );
  });

  test('a database that answers but will not do the statement for now is told from one gone and from a fault', () => {
    for (const code of ['53100', '53200', '53400', '25006', '40P01', '40001', '55P03', '57014'])
      assert.equal(databaseTurnedAway(withCode(code)), true, code);
    for (const code of ['53300', '08006', '23505', '22P02', '42P01', 'ECONNRESET'])
      assert.equal(databaseTurnedAway(withCode(code)), false, code);
    assert.equal(databaseTurnedAway(new Error('Connection terminated unexpectedly')), false);
  });
});
