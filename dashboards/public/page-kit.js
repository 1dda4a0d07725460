// What the KPI, at-risk and report pages share with the floor map: the API key (given once in the URL fragment,
// kept in localStorage under the floor map's name, so one key opens every page), authenticated fetches, downloads
// of authenticated files, and charts drawn with vega-embed under the pages' strict CSP.

export const KEY_STORAGE = 'cw.apiKey';

export class AuthError extends Error {}

export const $ = (id) => document.getElementById(id);

export function fragment() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

/** Takes a key from the fragment into storage and out of the address bar; true when there was one. */
export function adoptFragmentKey() {
  const params = fragment();
  const given = params.get('key');
  if (!given) return false;
  localStorage.setItem(KEY_STORAGE, given);
  params.delete('key');
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
  return true;
}

export const storedKey = () => localStorage.getItem(KEY_STORAGE);
export const saveKey = (key) => localStorage.setItem(KEY_STORAGE, key);
export const forgetKey = () => localStorage.removeItem(KEY_STORAGE);

export async function apiFetch(path, key) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${key}` } });
  if (response.status === 401) throw new AuthError('This key was refused. Check it and try again.');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message ?? `The server answered ${response.status} for ${path}`);
  }
  return response;
}

export async function apiJson(path, key) {
  return (await apiFetch(path, key)).json();
}

/** A file behind the API key, saved under its name (a plain link cannot carry the Authorization header). */
export async function download(path, key, filename) {
  const blob = await (await apiFetch(path, key)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Draws a Vega-Lite spec as SVG, as wide as its card. The expression interpreter replaces vega's default code
 * generation, which the pages' CSP (no 'unsafe-eval') would refuse; default styles are off for the same reason
 * (they are injected <style> elements), and pages.css styles the tooltip instead.
 */
export async function drawChart(element, spec) {
  const responsive = { ...spec, width: 'container', autosize: { type: 'fit-x', contains: 'padding' } };
  const result = await window.vegaEmbed(element, responsive, {
    renderer: 'svg',
    actions: false,
    ast: true,
    expr: window.vega.expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  });
  element.dataset.drawn = 'true';
  return result;
}

export function showKeyForm(panel, error) {
  panel.hidden = false;
  const message = panel.querySelector('.form-error');
  message.textContent = error ?? '';
  message.hidden = !error;
  panel.querySelector('input').focus();
}

/** Wires a key form: a submitted key is stored and handed to `onKey`. */
export function onKeyForm(form, onKey) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = form.querySelector('input');
    const key = input.value.trim();
    if (!key) return;
    input.value = '';
    saveKey(key);
    form.closest('section').hidden = true;
    onKey(key);
  });
}

export function showBanner(message) {
  const banner = $('banner');
  banner.textContent = message ?? '';
  banner.hidden = !message;
}

export const percent = (value) =>
  value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`;

/** The site-local day now, YYYY-MM-DD. */
export function todayIn(timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function previousMonthOf(day) {
  const [year, month] = day.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 2, 1));
  return date.toISOString().slice(0, 7);
}

export function cell(tag, text, className) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
