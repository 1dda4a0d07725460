/** The KPI and churn services give reasons as codes; the report prints them as words. */
const WORDS: Record<string, string> = {
  period_in_future: 'the period has not started yet',
  no_opening_hours: 'the site has no opening hours',
  closed: 'the site was closed',
  no_presence_sensor: 'no presence sensor watches it',
  no_bookings: 'nothing was booked',
  no_bookings_started: 'no booking started',
  no_people_counter: 'the site has no people counter',
  presence_cannot_count:
    'its sensors say whether a room with several seats is in use, not how many people are in it',
};

export const reasonInWords = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : (WORDS[code] ?? code.replace(/_/g, ' '));
