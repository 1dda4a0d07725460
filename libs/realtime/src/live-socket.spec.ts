import { handshakeToken, siteRoom } from './live-socket';

describe('handshakeToken', () => {
  it('prefers auth.token, which is what browsers can send', () => {
    expect(handshakeToken({ auth: { token: 'cwk_a' }, headers: { authorization: 'Bearer cwk_b' } })).toBe(
      'cwk_a',
    );
  });

  it('falls back to an Authorization bearer header', () => {
    expect(handshakeToken({ auth: {}, headers: { authorization: 'Bearer cwk_b' } })).toBe('cwk_b');
  });

  it('finds nothing in an empty or non-string token, a non-bearer header, or the query', () => {
    expect(handshakeToken({ auth: { token: '' }, headers: {} })).toBeUndefined();
    expect(handshakeToken({ auth: { token: 42 }, headers: {} })).toBeUndefined();
    expect(handshakeToken({ auth: {}, headers: { authorization: 'Basic dXNlcjpwYXNz' } })).toBeUndefined();
  });
});

describe('siteRoom', () => {
  it('names one room per site', () => {
    expect(siteRoom('madrid')).toBe('site:madrid');
  });
});
