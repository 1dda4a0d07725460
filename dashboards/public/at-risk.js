// Members at risk of leaving (the churn-risk API): score and the factors behind it, highest first, beside this
// month's money figures (MRR, churn rate, overdue invoices) from the money KPI API.

import {
  $,
  adoptFragmentKey,
  apiJson,
  AuthError,
  cell,
  forgetKey,
  fragment,
  onKeyForm,
  percent,
  showBanner,
  showKeyForm,
  storedKey,
  todayIn,
} from './page-kit.js';

const state = { key: null, sites: [], site: null };
const sitePath = () => `/v1/sites/${encodeURIComponent(state.site.id)}`;

function money(minor, currency) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
}

function figure(label, value, note) {
  const card = cell('article', undefined, 'card figure');
  card.append(cell('h3', label), cell('p', value, 'figure-value'));
  if (note) card.append(cell('p', note, 'figure-reason'));
  return card;
}

async function renderMoney() {
  const today = todayIn(state.site.timeZone);
  const answer = await apiJson(`${sitePath()}/money-kpis?period=month&date=${today}`, state.key);
  if (!answer.kpis) {
    $('figures').replaceChildren(figure('Money figures', 'n/a', answer.reason));
    return;
  }
  const k = answer.kpis;
  $('figures').replaceChildren(
    figure('MRR', money(k.mrr.endMinor, k.currency)),
    figure(
      'Member churn this month',
      percent(k.churnRate.value),
      k.churnRate.value === null ? k.churnRate.reason : '',
    ),
    figure('Overdue invoices', String(k.overdue.count), money(k.overdue.amountMinor, k.currency)),
  );
}

function scoreCell(score) {
  const td = cell('td');
  const wrap = cell('div', undefined, 'score');
  const bar = cell('span', undefined, 'score-bar');
  const fill = cell('span');
  fill.style.width = `${Math.max(0, Math.min(100, score))}%`;
  bar.append(fill);
  wrap.append(cell('strong', String(Math.round(score))), bar);
  td.append(wrap);
  return td;
}

async function renderMembers() {
  const params = new URLSearchParams({ min: $('min').value || '0', limit: '200' });
  if ($('on').value) params.set('on', $('on').value);
  const list = await apiJson(`${sitePath()}/churn-risk?${params}`, state.key);
  $('scored').textContent = `Scores of ${list.scoredOn} · model ${list.modelVersion}`;
  $('members').replaceChildren(
    ...list.members.map((m) => {
      const row = document.createElement('tr');
      row.dataset.member = m.memberId;
      const factors = cell('ul', undefined, 'factors');
      factors.append(
        ...m.factors
          .filter((f) => f.contribution > 0)
          .slice(0, 3)
          .map((f) => cell('li', f.detail)),
      );
      const why = cell('td');
      why.append(factors);
      row.append(cell('td', m.name ?? m.memberId), scoreCell(m.score), why);
      return row;
    }),
  );
  if (!list.members.length) {
    const row = document.createElement('tr');
    const empty = cell('td', 'No member at or above this score.', 'muted');
    empty.colSpan = 3;
    row.append(empty);
    $('members').replaceChildren(row);
  }
  const n = list.unscored.length;
  $('unscored').textContent = n
    ? `${n} member${n === 1 ? '' : 's'} not scored yet (too little history).`
    : '';
}

async function refresh() {
  showBanner(null);
  try {
    await Promise.all([renderMoney(), renderMembers()]);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    if (error instanceof AuthError) return signOut(error.message);
    showBanner(error.message);
  }
}

async function selectSite(id) {
  state.site = state.sites.find((s) => s.id === id) ?? state.sites[0];
  const site = await apiJson(`/v1/sites/${encodeURIComponent(state.site.id)}`, state.key);
  state.site = { ...state.site, timeZone: site.timeZone };
  $('site-select').value = state.site.id;
  $('site-name').textContent = `${site.name} · ${site.timeZone}`;
  document.title = `${site.name} · Members at risk`;
  const hash = `#site=${encodeURIComponent(state.site.id)}`;
  history.replaceState(null, '', `${location.pathname}${hash}`);
  $('link-map').href = `/${hash}`;
  $('link-kpis').href = `/kpis${hash}`;
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

$('controls').addEventListener('submit', (event) => event.preventDefault());
$('min').addEventListener('change', () => void refresh());
$('on').addEventListener('change', () => void refresh());
$('site-select').addEventListener('change', () => void selectSite($('site-select').value));
onKeyForm($('key-form'), (key) => void start(key));

adoptFragmentKey();
const key = storedKey();
if (key) void start(key);
else showKeyForm($('key-panel'));
