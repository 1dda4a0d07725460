// Releases and alerts as they arrive, newest first. Capped: a manager glances at the latest, and a page left
// open for days must not grow without bound.

const MAX_ITEMS = 50;
const REASONS = { no_show: 'No-show', ghost: 'Left empty' };
const SEVERITIES = { info: 'Info', warning: 'Warning', critical: 'Critical' };

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export class Feed {
  /**
   * @param {HTMLOListElement} list
   * @param {HTMLElement} empty shown while the list is empty
   * @param {{ time(iso: string): string, resourceName(id: string | null): string | null }} format
   */
  constructor(list, empty, format) {
    this.list = list;
    this.empty = empty;
    this.format = format;
  }

  clear() {
    this.list.replaceChildren();
    this.empty.hidden = false;
  }

  release(release) {
    const where = this.format.resourceName(release.resourceId) ?? release.resourceId;
    const span = `${this.format.time(release.bookingStart)}–${this.format.time(release.bookingEnd)}`;
    this.add({
      kind: 'release',
      tone: 'release',
      badge: REASONS[release.reason] ?? release.reason,
      title: `${where} released`,
      meta: `Booking ${release.bookingId} · ${span}`,
      at: release.releasedAt,
    });
  }

  alert(alert) {
    const where = this.format.resourceName(alert.resourceId);
    this.add({
      kind: 'alert',
      tone: alert.severity,
      badge: SEVERITIES[alert.severity] ?? alert.severity,
      title: alert.message,
      meta: [where, alert.kind.replaceAll('_', ' ')].filter(Boolean).join(' · '),
      at: alert.at,
    });
  }

  add({ kind, tone, badge, title, meta, at }) {
    const item = node('li', 'feed-item');
    item.dataset.kind = kind;
    item.dataset.tone = tone;
    const head = node('div', 'feed-head');
    head.append(node('span', 'badge', badge), node('time', 'feed-time', this.format.time(at)));
    head.lastChild.setAttribute('datetime', at);
    item.append(head, node('p', 'feed-title', title), node('p', 'feed-meta', meta));
    this.list.prepend(item);
    while (this.list.children.length > MAX_ITEMS) this.list.lastElementChild.remove();
    this.empty.hidden = true;
  }
}
