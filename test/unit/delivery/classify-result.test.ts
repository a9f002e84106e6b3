import { describe, expect, it } from 'vitest';
import { classifyEntryResult } from '../../../shared/domain/delivery/classify-result';
import { putEventsFailure, putEventsSuccess } from '../../helpers/factories';

describe('classifyEntryResult', () => {
  it('reports a delivered entry with the bus event id', () => {
    expect(classifyEntryResult(putEventsSuccess('e-1'))).toEqual({ outcome: 'delivered', busEventId: 'e-1' });
  });

  it.each(['InternalFailure', 'ThrottlingException'])('retries the transient code %s', (code) => {
    expect(classifyEntryResult(putEventsFailure(code, 'try later'))).toEqual({
      outcome: 'retry',
      errorCode: code,
      errorMessage: 'try later',
    });
  });

  it.each([
    'AccessDeniedException',
    'InvalidAccountIdException',
    'InvalidArgument',
    'MalformedDetail',
    'RedactionFailure',
    'NotAuthorizedForSourceException',
    'NotAuthorizedForDetailTypeException',
  ])('parks an entry failing with %s, which would fail again', (code) => {
    expect(classifyEntryResult(putEventsFailure(code, 'no'))).toEqual({
      outcome: 'park',
      errorCode: code,
      errorMessage: 'no',
    });
  });

  it('retries when PutEvents returned no result for the entry', () => {
    expect(classifyEntryResult(undefined)).toMatchObject({ outcome: 'retry', errorCode: 'MissingResult' });
  });

  it('treats an entry carrying an error code as failed even when it has an event id', () => {
    expect(classifyEntryResult({ EventId: 'e-1', ErrorCode: 'MalformedDetail' })).toEqual({
      outcome: 'park',
      errorCode: 'MalformedDetail',
      errorMessage: 'no message',
    });
  });

  it('parks an entry with neither an event id nor an error code as an unknown error', () => {
    expect(classifyEntryResult({})).toEqual({ outcome: 'park', errorCode: 'UnknownError', errorMessage: 'no message' });
  });
});
