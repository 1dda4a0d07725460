import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** One body shape for every error: `{error: code, message, errors?}`; a 500 hides its detail behind an id. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const body: Record<string, unknown> = { error: exception.code, message: exception.message };
      if (exception.errors.length) body.errors = exception.errors;
      response.status(STATUS[exception.code]).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : ((payload as { message?: unknown }).message ?? exception.message);
      response
        .status(status)
        .json({ error: httpCode(status), message: Array.isArray(message) ? message.join('; ') : message });
      return;
    }
    const clientError = bodyParserError(exception);
    if (clientError) {
      response
        .status(clientError.status)
        .json({ error: httpCode(clientError.status), message: clientError.message });
      return;
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, 'unhandled error');
    response.status(500).json({ error: 'internal', message: 'internal error', errorId });
  }
}

/**
 * body-parser rejects a body before any route runs (too large, bad charset, unreadable) with an `http-errors` error
 * whose message is safe to show (`expose`): the client gets its 4xx, not a 500.
 */
function bodyParserError(exception: unknown): { status: number; message: string } | undefined {
  const candidate = exception as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
    type?: unknown;
  } | null;
  if (!candidate || typeof candidate.status !== 'number' || candidate.expose !== true) return undefined;
  if (candidate.status < 400 || candidate.status >= 500) return undefined;
  const message =
    candidate.type === 'entity.too.large' ? 'request body is larger than 16 MB' : String(candidate.message);
  return { status: candidate.status, message };
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return ErrorCode.Validation;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 413:
      return ErrorCode.PayloadTooLarge;
    default:
      return `http_${status}`;
  }
}
