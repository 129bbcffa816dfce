// Where the events of a week go in a time grid: the arithmetic of the calendar's first view
//, which shows the opening week before FullCalendar has loaded. It places events the way
// FullCalendar's week view does, so that the take-over does not move them: by local wall-clock
// time (an hour is an hour of the grid on DST days too), cut at midnight and at the grid's first
// hour, in px rounded as FullCalendar rounds them, at least `eventMinHeight` tall, side by side
// where they overlap (FullCalendar's own placement, ported in `stacking.ts`), with the same times.
import { stackSpans } from "./stacking";

/** An event to place: its instants and what is drawn. */
export interface WeekEvent {
  id: number;
  title: string;
  start: Date;
  end: Date;
  color: string;
  kind: string;
}

/** The time grid, as FullCalendar's options and style make it. */
export interface Grid {
  /** Minutes after midnight the grid begins (`slotMinTime`). */
  firstMinute: number;
  /** The height of an hour in px. */
  hourPx: number;
  /** The least height of an event in px (`eventMinHeight`). */
  minPx: number;
}

/** One event's piece in one day's column. */
export interface PlacedEvent {
  event: WeekEvent;
  /** 0 = the week's first day. */
  day: number;
  /** px from the grid's first hour, and the height in px before FullCalendar's 1px gap below. */
  top: number;
  height: number;
  /** Where it begins and how wide it is, as fractions of the column's width for events. */
  left: number;
  width: number;
  /** How many events it is stacked on: later ones are drawn over earlier ones. */
  depth: number;
  /** The piece was cut from the event above (at midnight or the grid's first hour), or below
   * (at midnight): FullCalendar draws no border and square corners there. */
  cutTop: boolean;
  cutBottom: boolean;
  /** The times its text shows; `null`: none. */
  time: { start: Date; end: Date | null } | null;
}

export const MINUTES_PER_DAY = 24 * 60;

/** FullCalendar's `eventMinHeight` and `eventShortHeight` (px), given to it from here. */
export const EVENT_MIN_PX = 15;
export const EVENT_SHORT_PX = 30;

/** The seven local midnights of the week holding `date`, and the one after them. */
export function weekOf(date: Date, firstDay: number): { days: Date[]; end: Date } {
  const back = (date.getDay() - firstDay + 7) % 7;
  const at = (offset: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() - back + offset);
  return { days: [0, 1, 2, 3, 4, 5, 6].map(at), end: at(7) };
}

/** An instant's local wall-clock time as a number, as FullCalendar compares and adds times. */
function wallClock(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
}

/** The end FullCalendar draws: an event that ends when (or before) it begins has no end and is
 * drawn an hour of wall-clock time long (`defaultTimedEventDuration`). */
function drawnEnd(event: WeekEvent): { end: Date; hasEnd: boolean } {
  if (wallClock(event.end) > wallClock(event.start)) return { end: event.end, hasEnd: true };
  const s = event.start;
  return {
    end: new Date(s.getFullYear(), s.getMonth(), s.getDate(), s.getHours() + 1, s.getMinutes(), s.getSeconds(), s.getMilliseconds()),
    hasEnd: false,
  };
}

/** FullCalendar's `eventOrder` ("start,-duration,allDay,title") for timed events. */
function eventOrder(a: WeekEvent, b: WeekEvent): number {
  const length = (e: WeekEvent) => wallClock(drawnEnd(e).end) - wallClock(e.start);
  return wallClock(a.start) - wallClock(b.start) || length(b) - length(a) || a.title.localeCompare(b.title);
}

/** Minutes of local wall-clock time since the local midnight of `day`, for an instant that day. */
function wallMinutes(at: Date, dayStart: Date, dayEnd: Date): number {
  if (at.getTime() >= dayEnd.getTime()) return MINUTES_PER_DAY;
  if (at.getTime() <= dayStart.getTime()) return 0;
  return at.getHours() * 60 + at.getMinutes() + at.getSeconds() / 60;
}

/**
 * The pieces of `events` in the columns of `days` (local midnights; `end` closes the last one).
 * Pieces wholly before the grid's first hour are not drawn.
 */
export function placeEvents(days: Date[], end: Date, events: WeekEvent[], grid: Grid): PlacedEvent[] {
  // Sorted once: the stable sort keeps the input's order (Rust's: start, then id) for ties.
  const sorted = [...events].sort(eventOrder);
  const pxOf = (minutes: number) => ((minutes - grid.firstMinute) / 60) * grid.hourPx;
  const placed: PlacedEvent[] = [];
  days.forEach((dayStart, day) => {
    const dayEnd = days[day + 1] ?? end;
    const gridStart = new Date(dayStart.getFullYear(), dayStart.getMonth(), dayStart.getDate(), 0, grid.firstMinute);
    const pieces: (PlacedEvent & { span: { start: number; end: number } })[] = [];
    for (const event of sorted) {
      const { end: eventEnd, hasEnd } = drawnEnd(event);
      if (eventEnd.getTime() <= dayStart.getTime() || event.start.getTime() >= dayEnd.getTime()) continue;
      const from = Math.max(wallMinutes(event.start, dayStart, dayEnd), grid.firstMinute);
      const to = wallMinutes(eventEnd, dayStart, dayEnd);
      if (to <= from) continue;
      // FullCalendar's `computeSegVCoords`: px, the least height added before rounding.
      const span = { start: Math.round(pxOf(from)), end: Math.round(Math.max(pxOf(from) + grid.minPx, pxOf(to))) };
      const onStartDay = event.start.getTime() >= dayStart.getTime();
      const onEndDay = eventEnd.getTime() <= dayEnd.getTime();
      pieces.push({
        event,
        day,
        span,
        top: span.start,
        height: span.end - span.start,
        left: 0,
        width: 1,
        depth: 0,
        cutTop: event.start.getTime() < gridStart.getTime(),
        cutBottom: !onEndDay,
        // FullCalendar's rule: on the event's first and last day the piece's times (the event's
        // own where it has them, the grid's first hour or midnight where it was cut), the start
        // alone for an event without an end, nothing on the days in between.
        time:
          onStartDay || onEndDay
            ? { start: onStartDay ? event.start : gridStart, end: hasEnd ? (onEndDay ? eventEnd : dayEnd) : null }
            : null,
      });
    }
    for (const rect of stackSpans(pieces.map((p) => p.span))) {
      Object.assign(pieces[rect.index], { left: rect.levelCoord, width: rect.thickness, depth: rect.stackDepth });
    }
    placed.push(...pieces.map(({ span: _, ...piece }) => piece));
  });
  return placed;
}
