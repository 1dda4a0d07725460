import { FieldError } from '@cw/events';

/** Codes the global filter maps to HTTP status; every error body carries the code. */
export enum ErrorCode {
  Validation = 'validation_failed',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload_too_large',
  Unavailable = 'unavailable',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NotFound, `${what} not found`);
export const forbidden = (why: string) => new DomainError(ErrorCode.Forbidden, why);
export const invalid = (message: string, errors: FieldError[]) =>
  new DomainError(ErrorCode.Validation, message, errors);
