// The floor drawn as SVG in plan units (metres): the floor's outline, then one group per resource whose
// `data-state` the live events keep current. Labels are measured once, then shown, shortened or hidden by the
// size they would have on screen, so a phone and a wall display both stay readable.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const STATES = ['free', 'occupied', 'booked', 'awaiting_checkin', 'released'];
export const STATE_LABELS = {
  free: 'Free',
  occupied: 'Occupied',
  booked: 'Booked',
  awaiting_checkin: 'Awaiting check-in',
  released: 'Released',
  unknown: 'No data',
};
const KIND_LABELS = {
  desk: 'desk',
  meeting_room: 'meeting room',
  phone_booth: 'phone booth',
  event_space: 'event space',
  locker: 'locker',
  parking: 'parking space',
  equipment: 'equipment',
};

/** Below this many screen pixels a label is noise: shorten it, then drop it (the tooltip and aria-label stay). */
const MIN_LABEL_PX = 8;
const SUBLABEL_MIN_PX = 12;
const MAX_LABEL_PX = 22;
const MAX_SHORT_LABEL_PX = 12;
const MEASURE_SIZE = 10;

function el(tag, attrs = {}, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

const pointsAttr = (polygon) => polygon.map(([x, y]) => `${x},${y}`).join(' ');

function boundsOf(polygon) {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  return { minX, minY, width: Math.max(...xs) - minX, height: Math.max(...ys) - minY };
}

/** Area centroid, so a label sits inside an L-shaped room rather than at the centre of its bounding box. */
function centroidOf(polygon) {
  let area = 0;
  let cx = 0;
  let cy = 0;
  polygon.forEach(([x0, y0], i) => {
    const [x1, y1] = polygon[(i + 1) % polygon.length];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  });
  if (Math.abs(area) < 1e-9) {
    const b = boundsOf(polygon);
    return [b.minX + b.width / 2, b.minY + b.height / 2];
  }
  return [cx / (3 * area), cy / (3 * area)];
}

/** "Desk 0.01" -> "0.01": the distinguishing part of a name shared by a row of desks. */
function shortName(name) {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? parts[parts.length - 1] : name;
}

export function describeState(resource, state) {
  const name = state?.state ?? 'unknown';
  let text = STATE_LABELS[name] ?? name;
  if (state && state.occupancy !== null && state.occupancy !== undefined && resource.capacity > 1) {
    text += ` · ${state.occupancy}/${resource.capacity}`;
  }
  return text;
}

export class FloorMap {
  constructor(container) {
    this.container = container;
    this.items = new Map();
    this.svg = null;
    this.viewWidth = 1;
    this.viewHeight = 1;
    this.resizeObserver = new ResizeObserver(() => this.fitLabels());
    this.resizeObserver.observe(container);
  }

  /**
   * Draws a floor with the states known so far. They are set before the plan enters the document, so switching
   * floors shows the colours at once instead of fading in from "no data".
   */
  render(floor, stateOf = () => undefined) {
    this.items.clear();
    this.container.replaceChildren();
    const { width, height } = floor.plan;
    const pad = Math.max(width, height) * 0.015;
    this.viewWidth = width + 2 * pad;
    this.viewHeight = height + 2 * pad;
    const svg = el('svg', {
      viewBox: `${-pad} ${-pad} ${this.viewWidth} ${this.viewHeight}`,
      preserveAspectRatio: 'xMidYMid meet',
      role: 'group',
      'aria-label': `Plan of ${floor.name}`,
      class: 'plan',
    });
    this.svg = svg;

    const defs = el('defs', {}, svg);
    const grid = el('pattern', { id: 'grid', width: 1, height: 1, patternUnits: 'userSpaceOnUse' }, defs);
    el('path', { d: 'M 1 0 L 0 0 0 1', class: 'grid-line' }, grid);

    const outline = floor.plan.outline ?? [
      [0, 0],
      [width, 0],
      [width, height],
      [0, height],
    ];
    el('polygon', { points: pointsAttr(outline), class: 'outline' }, svg);
    el('polygon', { points: pointsAttr(outline), class: 'outline-grid' }, svg);

    const layer = el('g', { class: 'resources' }, svg);
    // Big rooms first, so a desk drawn inside an event space stays on top and clickable.
    const ordered = [...floor.resources].sort((a, b) => {
      const ba = boundsOf(a.polygon);
      const bb = boundsOf(b.polygon);
      return bb.width * bb.height - ba.width * ba.height;
    });
    for (const resource of ordered) this.items.set(resource.id, this.drawResource(layer, resource));
    for (const id of this.items.keys()) this.setState(id, stateOf(id));
    this.container.appendChild(svg);
    this.measureLabels();
    this.fitLabels();
  }

  drawResource(layer, resource) {
    const group = el(
      'g',
      {
        class: 'resource',
        'data-resource': resource.id,
        'data-kind': resource.kind,
        'data-state': 'unknown',
        role: 'img',
        tabindex: 0,
      },
      layer,
    );
    const title = el('title', {}, group);
    el('polygon', { points: pointsAttr(resource.polygon), class: 'shape' }, group);
    const [cx, cy] = centroidOf(resource.polygon);
    const label = el(
      'text',
      { x: cx, y: cy, class: 'label', 'text-anchor': 'middle', 'dominant-baseline': 'central' },
      group,
    );
    label.textContent = resource.name;
    const sub = el(
      'text',
      { x: cx, class: 'sublabel', 'text-anchor': 'middle', 'dominant-baseline': 'central' },
      group,
    );
    const item = {
      resource,
      group,
      title,
      label,
      sub,
      cx,
      cy,
      box: boundsOf(resource.polygon),
      sizes: null,
      subSize: 0,
    };
    this.describe(item, undefined);
    return item;
  }

  /** Font sizes, in plan units, at which the full and the short name fill the resource's box. */
  measureLabels() {
    for (const item of this.items.values()) {
      const { box, label, resource } = item;
      const fit = (text, lines) => {
        label.textContent = text;
        label.setAttribute('font-size', MEASURE_SIZE);
        const length = label.getComputedTextLength() / MEASURE_SIZE || text.length * 0.6;
        return Math.min((box.width * 0.86) / length, (box.height * 0.62) / lines);
      };
      const short = shortName(resource.name);
      item.sizes = {
        full: fit(resource.name, 1),
        fullWithSub: fit(resource.name, 2.1),
        short: short === resource.name ? 0 : fit(short, 1),
      };
      label.textContent = resource.name;
    }
  }

  /** Picks, per resource, the full name, a short one or none, by the size it would have on screen. */
  fitLabels() {
    if (!this.svg) return;
    const rect = this.svg.getBoundingClientRect();
    if (!rect.width) return;
    const pxPerUnit = Math.min(rect.width / this.viewWidth, rect.height / this.viewHeight);
    for (const item of this.items.values()) {
      const { sizes, label, sub, resource, cx, cy } = item;
      if (!sizes) continue;
      const withSub = sizes.fullWithSub * pxPerUnit >= SUBLABEL_MIN_PX;
      let size = 0;
      let text = resource.name;
      if (withSub) size = sizes.fullWithSub;
      else if (sizes.full * pxPerUnit >= MIN_LABEL_PX) size = sizes.full;
      else if (sizes.short * pxPerUnit >= MIN_LABEL_PX)
        [size, text] = [sizes.short, shortName(resource.name)];
      label.textContent = text;
      label.classList.toggle('hidden', size === 0);
      sub.classList.toggle('hidden', !withSub);
      if (size === 0) continue;
      // Capped so a huge room does not shout its name across the plan, and a short name (a fallback for a crowded
      // row) does not outgrow the full names around it.
      const capped = Math.min(size, (text === resource.name ? MAX_LABEL_PX : MAX_SHORT_LABEL_PX) / pxPerUnit);
      label.setAttribute('font-size', capped);
      label.setAttribute('y', withSub ? cy - capped * 0.55 : cy);
      item.subSize = withSub ? capped * 0.72 : 0;
      if (withSub) sub.setAttribute('y', cy + capped * 0.65);
      this.fitSub(item);
    }
  }

  /** The state line changes with every event, so it is fitted to the resource's width each time. */
  fitSub(item) {
    const { sub, box, subSize } = item;
    if (!subSize || sub.classList.contains('hidden')) return;
    sub.setAttribute('font-size', subSize);
    const length = sub.getComputedTextLength();
    const room = box.width * 0.86;
    if (length > room) sub.setAttribute('font-size', (subSize * room) / length);
  }

  describe(item, state) {
    const { resource } = item;
    const kind = KIND_LABELS[resource.kind] ?? resource.kind;
    const text = describeState(resource, state);
    item.group.setAttribute('aria-label', `${resource.name}, ${kind}: ${text}`);
    item.title.textContent = `${resource.name} (${kind}) — ${text}`;
    item.sub.textContent = text;
    this.fitSub(item);
  }

  /** `animate` marks a change the viewer should notice; a snapshot redraw does not. */
  setState(resourceId, state, { animate = false } = {}) {
    const item = this.items.get(resourceId);
    if (!item) return;
    const name = state?.state ?? 'unknown';
    const changed = item.group.dataset.state !== name;
    item.group.dataset.state = name;
    this.describe(item, state);
    if (changed && animate) {
      item.group.classList.remove('changed');
      // Reading layout restarts the CSS animation when two changes come in quick succession.
      void item.group.getBoundingClientRect();
      item.group.classList.add('changed');
    }
  }

  resourceIds() {
    return [...this.items.keys()];
  }
}
