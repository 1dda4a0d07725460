import { ArgumentsHost, BadRequestException } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';
import { ErrorFilter } from './error.filter';

function capture(exception: unknown) {
  const sent: { status?: number; body?: Record<string, unknown> } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent;
}

describe('ErrorFilter', () => {
  it('maps domain error codes to statuses with field errors', () => {
    const sent = capture(
      new DomainError(ErrorCode.Validation, 'bad', [{ path: 'a.b', message: 'required' }]),
    );
    expect(sent).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: 'bad', errors: [{ path: 'a.b', message: 'required' }] },
    });
    expect(capture(new DomainError(ErrorCode.NotFound, 'x not found')).status).toBe(404);
    expect(capture(new DomainError(ErrorCode.Unavailable, 'later')).status).toBe(503);
  });

  it('keeps the status of Nest HTTP exceptions in the same body shape', () => {
    expect(capture(new BadRequestException('nope'))).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: 'nope' },
    });
  });

  it('answers 413 for a body over the size limit instead of a 500', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(capture(tooLarge)).toEqual({
      status: 413,
      body: { error: 'payload_too_large', message: 'request body is larger than 16 MB' },
    });
  });

  it('hides the detail of an unexpected error behind an id', () => {
    const sent = capture(new Error('secret stack detail'));
    expect(sent.status).toBe(500);
    expect(sent.body).toMatchObject({ error: 'internal', message: 'internal error' });
    expect(sent.body?.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(sent.body)).not.toContain('secret');
  });
});
