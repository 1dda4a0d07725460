// The live floor map: sites and plans from the REST API, resource states from socket.io `/live`.
// The key arrives once in the URL fragment (never sent to the server in a request line or a Referer), is kept in
// localStorage and removed from the address bar.

import { Feed } from './feed.js';
import { FloorMap, STATE_LABELS, STATES } from './floor-map.js';

const KEY_STORAGE = 'cw.apiKey';
const JOIN_TIMEOUT_MS = 8000;
const JOIN_ERRORS = {
  forbidden: 'This key may not watch this site.',
  not_found: 'This site no longer exists.',
  unavailable: 'The server cannot read the current state right now.',
};

const $ = (id) => document.getElementById(id);
const ui = {
  banner: $('banner'),
  dashboard: $('dashboard'),
  keyPanel: $('key-panel'),
  keyForm: $('key-form'),
  keyInput: $('key-input'),
  keyError: $('key-error'),
  signOut: $('sign-out'),
  siteName: $('site-name'),
  sitePicker: $('site-picker'),
  siteSelect: $('site-select'),
  connection: $('connection'),
  connectionLabel: $('connection-label'),
  tabs: $('floor-tabs'),
  floorTitle: $('floor-title'),
  floorSummary: $('floor-summary'),
  legend: $('legend'),
  stateBar: $('state-bar'),
  nowTotal: $('now-total'),
};

const map = new FloorMap($('map'));
const feed = new Feed($('feed'), $('feed-empty'), {
  time: (iso) => formatTime(iso),
  resourceName: (id) => (id ? (store.resources.get(id)?.name ?? null) : null),
});

const store = {
  key: null,
  sites: [],
  site: null,
  floorId: null,
  resources: new Map(),
  states: new Map(),
  // Deltas that arrive before the join snapshot are re-applied after it: the snapshot may be older than them.
  synced: false,
  early: [],
};
let socket = null;
let timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}

// ---- the URL fragment: #key=...&site=...&floor=...

function readFragment() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

function writeFragment() {
  const params = new URLSearchParams();
  if (store.site) params.set('site', store.site.id);
  if (store.floorId) params.set('floor', store.floorId);
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
  // The KPI and at-risk pages open on the site shown here.
  const site = store.site ? `#site=${encodeURIComponent(store.site.id)}` : '';
  $('link-kpis').href = `/kpis${site}`;
  $('link-risk').href = `/at-risk${site}`;
}

// ---- REST

class AuthError extends Error {}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${store.key}` } });
  if (response.status === 401) throw new AuthError('This key was refused. Check it and try again.');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message ?? `The server answered ${response.status} for ${path}`);
  }
  return response.json();
}

// ---- screens

function showBanner(message) {
  ui.banner.textContent = message ?? '';
  ui.banner.hidden = !message;
}

function showKeyForm(error) {
  ui.dashboard.hidden = true;
  ui.signOut.hidden = true;
  ui.sitePicker.hidden = true;
  ui.keyPanel.hidden = false;
  ui.keyError.textContent = error ?? '';
  ui.keyError.hidden = !error;
  setStatus('idle', 'Not connected');
  ui.keyInput.focus();
}

function signOut(error) {
  localStorage.removeItem(KEY_STORAGE);
  store.key = null;
  socket?.disconnect();
  socket = null;
  showBanner(null);
  showKeyForm(error);
}

function setStatus(status, label) {
  ui.connection.dataset.status = status;
  ui.connectionLabel.textContent = label;
}

// ---- sites and floors

async function start() {
  ui.keyPanel.hidden = true;
  ui.signOut.hidden = false;
  setStatus('connecting', 'Loading…');
  try {
    store.sites = await api('/v1/sites');
    if (store.sites.length === 0) {
      showBanner('This key sees no site yet. Create one with PUT /v1/sites/{site}.');
      setStatus('idle', 'No site');
      return;
    }
    const wanted = readFragment().get('site');
    const first = store.sites.find((s) => s.id === wanted) ?? store.sites[0];
    ui.siteSelect.replaceChildren(...store.sites.map((s) => new Option(s.name, s.id)));
    ui.sitePicker.hidden = store.sites.length < 2;
    await selectSite(first.id, readFragment().get('floor'));
    connectLive();
  } catch (error) {
    if (error instanceof AuthError) return signOut(error.message);
    showBanner(error.message);
    setStatus('offline', 'Error');
  }
}

async function selectSite(siteId, floorId) {
  const previous = store.site?.id;
  const site = await api(`/v1/sites/${encodeURIComponent(siteId)}`);
  if (previous && previous !== site.id && socket?.connected) socket.emit('leave', { site: previous });
  store.site = site;
  store.resources = new Map(site.floors.flatMap((f) => f.resources.map((r) => [r.id, r])));
  store.states = new Map();
  store.synced = false;
  store.early = [];
  ui.siteSelect.value = site.id;
  ui.siteName.textContent = `${site.name} · ${site.timeZone}`;
  document.title = `${site.name} · Live floor map`;
  timeFormat = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: site.timeZone,
  });
  feed.clear();
  showBanner(site.floors.length ? null : 'This site has no floors yet.');
  ui.dashboard.hidden = false;
  renderTabs();
  selectFloor(site.floors.find((f) => f.id === floorId)?.id ?? site.floors[0]?.id ?? null);
  if (socket?.connected) join();
}

function renderTabs() {
  const floors = store.site.floors;
  ui.tabs.replaceChildren(
    ...floors.map((floor) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.id = `tab-${floor.id}`;
      tab.dataset.floor = floor.id;
      tab.textContent = floor.name;
      tab.setAttribute('aria-controls', 'map');
      tab.addEventListener('click', () => selectFloor(floor.id));
      return tab;
    }),
  );
  ui.tabs.hidden = floors.length < 2;
}

function selectFloor(floorId) {
  store.floorId = floorId;
  const floor = store.site.floors.find((f) => f.id === floorId);
  for (const tab of ui.tabs.children) {
    const selected = tab.dataset.floor === floorId;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  writeFragment();
  if (!floor) {
    $('map').replaceChildren();
    return;
  }
  ui.floorTitle.textContent = floor.name;
  const count = floor.resources.length;
  ui.floorSummary.textContent = `${count} resource${count === 1 ? '' : 's'} · level ${floor.level}`;
  map.render(floor, (id) => store.states.get(id));
  renderCounts();
}

// Arrow keys move between floor tabs, as the ARIA tabs pattern expects.
ui.tabs.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
  const tabs = [...ui.tabs.children];
  const index = tabs.findIndex((t) => t.dataset.floor === store.floorId);
  const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
  selectFloor(next.dataset.floor);
  next.focus();
});

function renderCounts() {
  const floor = store.site?.floors.find((f) => f.id === store.floorId);
  const counts = Object.fromEntries([...STATES, 'unknown'].map((s) => [s, 0]));
  for (const resource of floor?.resources ?? [])
    counts[store.states.get(resource.id)?.state ?? 'unknown'] += 1;
  const total = floor?.resources.length ?? 0;
  const shown = counts.unknown > 0 ? [...STATES, 'unknown'] : STATES;
  ui.legend.replaceChildren(
    ...shown.map((state) => {
      const item = document.createElement('li');
      item.dataset.legend = state;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      const name = document.createElement('span');
      name.className = 'legend-name';
      name.textContent = STATE_LABELS[state];
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = String(counts[state]);
      item.append(swatch, name, count);
      item.setAttribute('aria-label', `${STATE_LABELS[state]}: ${counts[state]}`);
      return item;
    }),
  );
  ui.stateBar.replaceChildren(
    ...shown
      .filter((state) => counts[state] > 0)
      .map((state) => {
        const segment = document.createElement('span');
        segment.dataset.state = state;
        segment.style.flexGrow = String(counts[state]);
        return segment;
      }),
  );
  const busy = counts.occupied;
  ui.nowTotal.textContent = total ? `${Math.round((busy / total) * 100)}% occupied` : '';
}

// ---- live

async function connectLive() {
  let io;
  try {
    ({ io } = await import('/socket.io/socket.io.esm.min.js'));
  } catch {
    setStatus('offline', 'Live updates unavailable');
    return;
  }
  socket = io('/live', { auth: { token: store.key } });
  socket.on('connect', join);
  socket.on('disconnect', () => {
    store.synced = false;
    setStatus('offline', 'Reconnecting…');
  });
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthenticated') return signOut('This key was refused by the live server.');
    setStatus('offline', 'Reconnecting…');
  });
  socket.on('snapshot', onSnapshot);
  // The map joins with batch: a burst (a thousand releases at once) arrives as a few frames, not thousands.
  socket.on('batch', ({ events }) => events.forEach(({ event, data }) => liveHandlers[event]?.(data)));
}

const liveHandlers = {
  occupancy: (delta) => onDelta(delta),
  release: (release) => release.siteId === store.site?.id && feed.release(release),
  alert: (alert) => alert.siteId === store.site?.id && feed.alert(alert),
};

function join() {
  const siteId = store.site.id;
  store.synced = false;
  store.early = [];
  setStatus('connecting', 'Joining…');
  socket.timeout(JOIN_TIMEOUT_MS).emit('join', { site: siteId, batch: true }, (error, reply) => {
    if (siteId !== store.site?.id || !socket?.connected) return;
    if (error) {
      setStatus('offline', 'No answer, retrying…');
      setTimeout(() => socket?.connected && siteId === store.site?.id && join(), 2000);
      return;
    }
    if (!reply.ok) {
      setStatus('error', 'Not live');
      showBanner(JOIN_ERRORS[reply.error] ?? `Cannot watch this site (${reply.error}).`);
      return;
    }
    setStatus('live', 'Live');
  });
}

function onSnapshot(snapshot) {
  if (snapshot.siteId !== store.site?.id) return;
  store.states = new Map(snapshot.resources.map((state) => [state.resourceId, state]));
  for (const delta of store.early) store.states.set(delta.resourceId, delta);
  store.early = [];
  store.synced = true;
  for (const id of map.resourceIds()) map.setState(id, store.states.get(id));
  renderCounts();
}

function onDelta(delta) {
  if (delta.siteId !== store.site?.id) return;
  if (!store.synced) {
    store.early.push(delta);
    return;
  }
  store.states.set(delta.resourceId, delta);
  map.setState(delta.resourceId, delta, { animate: true });
  renderCounts();
}

// ---- boot

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  if (!key) return;
  ui.keyInput.value = '';
  localStorage.setItem(KEY_STORAGE, key);
  store.key = key;
  void start();
});

ui.signOut.addEventListener('click', () => signOut());

ui.siteSelect.addEventListener('change', () => {
  selectSite(ui.siteSelect.value).catch((error) => showBanner(error.message));
});

/** Takes a key from the fragment into storage and out of the address bar; true when there was one. */
function adoptFragmentKey() {
  const fragment = readFragment();
  const given = fragment.get('key');
  if (!given) return false;
  localStorage.setItem(KEY_STORAGE, given);
  fragment.delete('key');
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
  return true;
}

// Pasting another `#key=` URL into the same tab changes only the fragment, which reloads nothing by itself.
window.addEventListener('hashchange', () => {
  if (!adoptFragmentKey()) return;
  socket?.disconnect();
  socket = null;
  store.key = localStorage.getItem(KEY_STORAGE);
  void start();
});

adoptFragmentKey();
store.key = localStorage.getItem(KEY_STORAGE);
if (store.key) void start();
else showKeyForm();
