/**
 * A sequence as inline SVG: one box and lifeline per lane, one arrow per step, top to bottom. Sizes come from
 * the text lengths (an estimate: no font metrics at build time), so the output is deterministic.
 */
import type { Sequence } from '../sequence.js';
import { esc } from './html.js';

const CHAR = 7.2; // average width of a 12px sans-serif character
const LANE_MIN = 170;
const HEAD = 52;
const ROW = 40;
const PAD = 16;

const textWidth = (s: string): number => Math.ceil(s.length * CHAR);

/** `id` makes the arrow markers' ids unique in the page. */
export function sequenceSvg(sequence: Sequence, title: string, id: string): string {
  const { lanes, steps } = sequence;
  const index = new Map(lanes.map((lane, i) => [lane.id, i]));
  // The gap between two neighbouring lanes fits every label drawn across it, and both lanes' headings.
  let gap = LANE_MIN;
  for (const lane of lanes)
    gap = Math.max(gap, textWidth(lane.label) + 40, textWidth(lane.sub ?? '') * 0.9 + 30);
  for (const step of steps) {
    const span = Math.abs((index.get(step.to) ?? 0) - (index.get(step.from) ?? 0)) || 1;
    const label = step.note ? `${step.label}  [${step.note}]` : step.label;
    gap = Math.max(gap, Math.ceil((textWidth(label) + 30) / span));
  }
  gap = Math.ceil(gap);
  const width = PAD * 2 + gap * (lanes.length - 1) + gap;
  const x = (id: string): number => PAD + gap / 2 + (index.get(id) ?? 0) * gap;
  const height = HEAD + PAD + steps.length * ROW + PAD;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="seq-head"/></marker>`,
    `<marker id="${id}-arrow-fail" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="seq-head-fail"/></marker>`,
    `<marker id="${id}-arrow-ack" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="seq-head-ack"/></marker></defs>`,
  );
  for (const lane of lanes) {
    const cx = x(lane.id);
    const w = gap - 24;
    parts.push(
      `<g class="seq-lane"><rect x="${cx - w / 2}" y="${PAD / 2}" width="${w}" height="${HEAD - 8}" rx="6"/>`,
      `<text x="${cx}" y="${PAD / 2 + 19}" class="seq-lane-label">${esc(lane.label)}</text>`,
      lane.sub ? `<text x="${cx}" y="${PAD / 2 + 35}" class="seq-lane-sub">${esc(lane.sub)}</text>` : '',
      `<line x1="${cx}" y1="${HEAD}" x2="${cx}" y2="${height - PAD / 2}" class="seq-life"/></g>`,
    );
  }
  steps.forEach((step, i) => {
    const y = HEAD + PAD + i * ROW + ROW / 2 + 6;
    const x1 = x(step.from);
    const x2 = x(step.to);
    const dir = x2 >= x1 ? 1 : -1;
    const cls = `seq-step seq-${step.style}`;
    const marker = `${id}-arrow${step.style === 'failure' ? '-fail' : step.style === 'ack' ? '-ack' : ''}`;
    const label = step.note ? `${step.label}  [${step.note}]` : step.label;
    parts.push(
      `<g class="${cls}"><line x1="${x1 + dir * 4}" y1="${y}" x2="${x2 - dir * 6}" y2="${y}" marker-end="url(#${marker})"/>`,
      `<text x="${(x1 + x2) / 2}" y="${y - 8}">${esc(label)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.filter(Boolean).join('\n');
}
