import { WeeklySlot } from './time/weekly-hours';

export const CREDENTIAL_KINDS = ['card', 'mobile', 'pin'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface AccessZone {
  id: string;
  name: string;
  doorIds: string[];
}

export interface Credential {
  id: string;
  memberId: string;
  kind: CredentialKind;
  value: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
}

export interface AccessSettings {
  bookingMarginMinutes: number;
}

/** A member whose access the export describes: status and active credentials. */
export interface CredentialHolder {
  credentialId: string;
  value: string;
  memberId: string;
}

export interface ContractAccess {
  memberId: string;
  startDate: string;
  endDate: string | null;
  zones: string[];
  hours: WeeklySlot[];
}

export interface BookingAccess {
  memberId: string;
  resourceId: string;
  start: Date;
  end: Date;
}

export interface PassAccess {
  memberId: string;
  code: string;
  balance: number;
  expiresAt: Date;
  /** Local dates already paid for by this pass, within the range asked for. */
  spentDates: string[];
  zones: string[];
  hours: WeeklySlot[];
}

export type { AccessGrant } from '@cw/events';
