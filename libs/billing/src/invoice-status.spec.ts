import { deriveBalance, reminderToSend } from './invoice-status';

describe('deriveBalance', () => {
  const base = {
    kind: 'invoice' as const,
    totalMinor: 12100,
    paidMinor: 0,
    creditedMinor: 0,
    dueDate: '2024-07-15',
    today: '2024-07-10',
  };

  it('is open before the due date with something owed', () => {
    expect(deriveBalance(base)).toEqual({
      paidMinor: 0,
      creditedMinor: 0,
      balanceMinor: 12100,
      status: 'open',
    });
    expect(deriveBalance({ ...base, today: '2024-07-15' }).status).toBe('open');
  });

  it('is overdue the day after the due date', () => {
    expect(deriveBalance({ ...base, today: '2024-07-16', paidMinor: 100 })).toMatchObject({
      balanceMinor: 12000,
      status: 'overdue',
    });
  });

  it('is paid once allocations cover the total', () => {
    expect(deriveBalance({ ...base, paidMinor: 12100, today: '2024-09-01' })).toMatchObject({
      balanceMinor: 0,
      status: 'paid',
    });
  });

  it('counts credit notes against the balance', () => {
    expect(deriveBalance({ ...base, creditedMinor: 12100, today: '2024-09-01' }).status).toBe('credited');
    expect(deriveBalance({ ...base, creditedMinor: 2100, paidMinor: 10000 })).toMatchObject({
      balanceMinor: 0,
      status: 'paid',
    });
    expect(deriveBalance({ ...base, creditedMinor: 2100, today: '2024-08-01' })).toMatchObject({
      balanceMinor: 10000,
      status: 'overdue',
    });
  });

  it('gives credit notes no balance of their own', () => {
    expect(deriveBalance({ ...base, kind: 'credit_note', totalMinor: -500 })).toEqual({
      paidMinor: 0,
      creditedMinor: 0,
      balanceMinor: 0,
      status: 'credit_note',
    });
  });
});

describe('reminderToSend', () => {
  const due = '2024-07-15';

  it('sends level 1 from the day after the due date, 2 after a week, 3 after two', () => {
    expect(reminderToSend(due, '2024-07-15', [])).toBeNull();
    expect(reminderToSend(due, '2024-07-16', [])).toBe(1);
    expect(reminderToSend(due, '2024-07-21', [1])).toBeNull();
    expect(reminderToSend(due, '2024-07-22', [1])).toBe(2);
    expect(reminderToSend(due, '2024-07-29', [1, 2])).toBe(3);
  });

  it('sends each level once', () => {
    expect(reminderToSend(due, '2024-07-17', [1])).toBeNull();
    expect(reminderToSend(due, '2024-08-30', [1, 2, 3])).toBeNull();
  });

  it('after a gap sends the current level only, never a lower one later', () => {
    expect(reminderToSend(due, '2024-08-01', [])).toBe(3);
    expect(reminderToSend(due, '2024-07-23', [3])).toBeNull();
  });
});
