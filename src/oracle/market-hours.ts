/**
 * Forex and metals markets close Friday 21:00 UTC and reopen Sunday 21:00 UTC (metals 22:00):
 * over a weekend the last quote legitimately stays Friday's. Times are ms since the epoch.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** When the market closed, if it is closed at `now` (we use the later, metals reopening). */
export function weekendCloseStart(now: number): number | undefined {
  const d = new Date(now);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const hour = (now - dayStart) / HOUR;
  const weekday = d.getUTCDay(); // 0 Sunday .. 6 Saturday
  if (weekday === 5 && hour >= 21) return dayStart + 21 * HOUR;
  if (weekday === 6) return dayStart - DAY + 21 * HOUR;
  if (weekday === 0 && hour < 22) return dayStart - 2 * DAY + 21 * HOUR;
  return undefined;
}
