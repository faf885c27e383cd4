import { formatPeg } from './chart.js';
import { when } from './site.js';

/** Rows of a blocks table (dashboard and /blocks), each height a link to its detail page. */
export function blockRowsOf(blocks) {
  return blocks.map((b) => [{ text: b.height, href: `/blocks/${b.height}` }, when(b.time), b.submitted, b.inGraded, b.won, formatPeg(b.reward), b.effort === null ? '-' : `${(b.effort * 100).toFixed(0)} %`, b.status]);
}
