// The KPI page: the KPI API's figures for a site and a period (site local time), its hour-of-week heatmap and
// per-kind chart, the per-resource table, and the same table as CSV or Arrow for BI tools.

import {
  $,
  adoptFragmentKey,
  apiJson,
  AuthError,
  cell,
  download,
  drawChart,
  forgetKey,
  fragment,
  onKeyForm,
  percent,
  previousMonthOf,
  showBanner,
  showKeyForm,
  storedKey,
  todayIn,
} from './page-kit.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const REASONS = {
  period_in_future: 'the period has not started',
  no_opening_hours: 'the site has no opening hours',
  closed: 'closed',
  no_presence_sensor: 'no presence sensor',
  no_bookings: 'nothing booked',
  no_bookings_started: 'no booking started',
  no_people_counter: 'no people counter',
  not_counted_per_resource: 'counted for the site only',
};
const FIGURES = [
  ['utilisation', 'Utilisation', percent],
  ['bookingRate', 'Booking rate', percent],
  ['bookedVsUsed', 'Booked vs used', percent],
  ['noShowRate', 'No-show rate', percent],
  ['peakOccupancy', 'Peak occupancy', (v) => (v === null ? 'n/a' : String(v))],
];

const state = { key: null, sites: [], site: null };

const query = () => `period=${$('period').value}&date=${$('date').value}`;
const sitePath = () => `/v1/sites/${encodeURIComponent(state.site.id)}`;

function links() {
  const hash = `#site=${encodeURIComponent(state.site.id)}`;
  $('link-map').href = `/${hash}`;
  $('link-risk').href = `/at-risk${hash}`;
  const month = previousMonthOf(todayIn(state.site.timeZone));
  $('link-report').href = `${sitePath()}/reports/${month}.html`;
}

function renderFigures(kpis) {
  $('figures').replaceChildren(
    ...FIGURES.map(([key, label, format]) => {
      const figure = kpis.site[key];
      const card = cell('article', undefined, 'card figure');
      card.dataset.figure = key;
      card.append(cell('h3', label), cell('p', format(figure.value), 'figure-value'));
      if (figure.value === null)
        card.append(cell('p', REASONS[figure.reason] ?? figure.reason, 'figure-reason'));
      return card;
    }),
  );
  const p = kpis.period;
  $('period-label').textContent =
    `${p.from} to ${p.to}${kpis.complete ? '' : ' (so far)'} · ${kpis.timeZone}`;
}

function renderResources(kpis) {
  $('resources').replaceChildren(
    ...kpis.resources.map((r) => {
      const row = document.createElement('tr');
      const missing = ['utilisation', 'bookingRate', 'bookedVsUsed', 'noShowRate']
        .filter((k) => r[k].value === null)
        .map((k) => REASONS[r[k].reason] ?? r[k].reason);
      row.append(
        cell('td', r.name),
        cell('td', r.kind.replace(/_/g, ' ')),
        cell('td', percent(r.utilisation.value), 'num'),
        cell('td', percent(r.bookingRate.value), 'num'),
        cell('td', percent(r.bookedVsUsed.value), 'num'),
        cell('td', percent(r.noShowRate.value), 'num'),
        cell('td', [...new Set(missing)].join('; '), 'muted'),
      );
      return row;
    }),
  );
}

async function renderCharts(kpis) {
  const heat = kpis.heatmap.site.map((value, how) => ({
    weekday: WEEKDAYS[Math.floor(how / 24)],
    hour: how % 24,
    utilisation: value,
  }));
  const kinds = kpis.kinds.flatMap((k) => [
    { kind: k.kind.replace(/_/g, ' '), figure: 'Utilisation', value: k.utilisation.value },
    { kind: k.kind.replace(/_/g, ' '), figure: 'Booking rate', value: k.bookingRate.value },
  ]);
  await Promise.all([
    drawChart($('chart-heatmap'), {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: 'Hour-of-week heatmap', subtitle: 'Utilisation by weekday and hour' },
      height: 190,
      data: { values: heat },
      mark: { type: 'rect', tooltip: true },
      encoding: {
        x: { field: 'hour', type: 'ordinal', title: 'Hour' },
        y: { field: 'weekday', type: 'ordinal', title: null, scale: { domain: WEEKDAYS } },
        color: {
          field: 'utilisation',
          type: 'quantitative',
          title: 'Utilisation',
          scale: { domain: [0, 1], scheme: 'blues' },
          legend: { format: '.0%' },
        },
      },
    }),
    drawChart($('chart-kinds'), {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: 'Per resource kind', subtitle: 'Utilisation and booking rate' },
      height: 190,
      data: { values: kinds },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'kind', type: 'nominal', title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'figure', type: 'nominal' },
        y: { field: 'value', type: 'quantitative', title: null, axis: { format: '.0%' } },
        color: {
          field: 'figure',
          type: 'nominal',
          title: null,
          scale: { domain: ['Utilisation', 'Booking rate'], range: ['#16a34a', '#2563eb'] },
        },
      },
    }),
  ]);
}

/** #site=&period=&date= keeps the view in the address, so it can be shared or reloaded. */
function writeFragment() {
  const params = new URLSearchParams({
    site: state.site.id,
    period: $('period').value,
    date: $('date').value,
  });
  history.replaceState(null, '', `${location.pathname}#${params}`);
}

async function refresh() {
  if (!$('date').value) return;
  writeFragment();
  showBanner(null);
  try {
    const kpis = await apiJson(`${sitePath()}/kpis?${query()}`, state.key);
    renderFigures(kpis);
    renderResources(kpis);
    await renderCharts(kpis);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    if (error instanceof AuthError) return signOut(error.message);
    showBanner(error.message);
  }
}

async function selectSite(id) {
  state.site = state.sites.find((s) => s.id === id) ?? state.sites[0];
  const site = await apiJson(`/v1/sites/${encodeURIComponent(state.site.id)}`, state.key);
  state.site = { ...state.site, timeZone: site.timeZone, name: site.name };
  $('site-select').value = state.site.id;
  $('site-name').textContent = `${site.name} · ${site.timeZone}`;
  document.title = `${site.name} · KPIs`;
  if (!$('date').value) $('date').value = todayIn(site.timeZone);
  writeFragment();
  links();
  await refresh();
}

async function start(key) {
  state.key = key;
  try {
    state.sites = await apiJson('/v1/sites', key);
    if (!state.sites.length) return showBanner('This key sees no site yet.');
    $('site-select').replaceChildren(...state.sites.map((s) => new Option(s.name, s.id)));
    $('site-picker').hidden = state.sites.length < 2;
    $('dashboard').hidden = false;
    await selectSite(fragment().get('site'));
  } catch (error) {
    if (error instanceof AuthError) return signOut(error.message);
    showBanner(error.message);
  }
}

function signOut(message) {
  forgetKey();
  $('dashboard').hidden = true;
  showKeyForm($('key-panel'), message);
}

function saveTable(extension) {
  const name = `kpis-${state.site.id}-${$('period').value}-${$('date').value}.${extension}`;
  download(`${sitePath()}/kpis.${extension}?${query()}`, state.key, name).catch((e) => showBanner(e.message));
}

$('period').addEventListener('change', () => void refresh());
$('date').addEventListener('change', () => void refresh());
$('controls').addEventListener('submit', (event) => event.preventDefault());
$('site-select').addEventListener('change', () => void selectSite($('site-select').value));
$('download-csv').addEventListener('click', () => saveTable('csv'));
$('download-arrow').addEventListener('click', () => saveTable('arrow'));
onKeyForm($('key-form'), (key) => void start(key));

adoptFragmentKey();
const wanted = fragment();
if (['day', 'week', 'month', 'year'].includes(wanted.get('period'))) $('period').value = wanted.get('period');
if (/^\d{4}-\d{2}-\d{2}$/.test(wanted.get('date') ?? '')) $('date').value = wanted.get('date');
const key = storedKey();
if (key) void start(key);
else showKeyForm($('key-panel'));
