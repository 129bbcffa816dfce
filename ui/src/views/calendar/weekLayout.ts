// Where the events of a week go in a time grid: the arithmetic of the calendar's first view
// (issue 6), which shows the opening week before FullCalendar has loaded. It places events the way
// FullCalendar's week view does, so that the take-over does not move them: by local wall-clock
// time (an hour is an hour of the grid on DST days too), cut at midnight and at the grid's first
// hour, side by side where they overlap, at least `eventMinHeight` tall, with the same time text.

/** An event to place: its instants and what is drawn. */
export interface WeekEvent {
  id: number;
  title: string;
  start: Date;
  end: Date;
  color: string;
  kind: string;
}

/** One event's piece in one day's column. Minutes count from the grid's first hour. */
export interface PlacedEvent {
  event: WeekEvent;
  /** 0 = the week's first day. */
  day: number;
  top: number;
  height: number;
  /** Which of `lanes` side-by-side places of its group of overlapping events it takes. */
  lane: number;
  lanes: number;
  /** The piece begins (ends) where the event does, not at a cut. */
  isStart: boolean;
  isEnd: boolean;
  /** The times its text shows; `null`: none. */
  time: { start: Date; end: Date | null } | null;
}

/** How long an event without a length is drawn: FullCalendar's `defaultTimedEventDuration`. */
const NO_LENGTH_MINUTES = 60;

export const MINUTES_PER_DAY = 24 * 60;

/** The seven local midnights of the week holding `date`, and the one after them. */
export function weekOf(date: Date, firstDay: number): { days: Date[]; end: Date } {
  const back = (date.getDay() - firstDay + 7) % 7;
  const at = (offset: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() - back + offset);
  return { days: [0, 1, 2, 3, 4, 5, 6].map(at), end: at(7) };
}

/** Minutes of local wall-clock time since the local midnight of `day`, for an instant that day. */
function wallMinutes(at: Date, dayStart: Date, dayEnd: Date): number {
  if (at.getTime() >= dayEnd.getTime()) return MINUTES_PER_DAY;
  if (at.getTime() <= dayStart.getTime()) return 0;
  return at.getHours() * 60 + at.getMinutes() + at.getSeconds() / 60;
}

/**
 * The pieces of `events` in the columns of `days` (local midnights; `end` closes the last one),
 * in a grid that begins `firstMinute` minutes after midnight, each at least `minMinutes` tall.
 * Pieces wholly before the grid's first hour are not drawn. An event that ends when (or before)
 * it begins is drawn an hour long with its start time only, as FullCalendar drops such an end.
 */
export function placeEvents(days: Date[], end: Date, events: WeekEvent[], firstMinute: number, minMinutes = 0): PlacedEvent[] {
  const placed: PlacedEvent[] = [];
  days.forEach((dayStart, day) => {
    const dayEnd = days[day + 1] ?? end;
    const gridStart = new Date(dayStart.getFullYear(), dayStart.getMonth(), dayStart.getDate(), 0, firstMinute);
    const pieces: PlacedEvent[] = [];
    for (const event of events) {
      const hasEnd = event.end.getTime() > event.start.getTime();
      const eventEnd = hasEnd ? event.end : new Date(event.start.getTime() + NO_LENGTH_MINUTES * 60_000);
      if (eventEnd.getTime() <= dayStart.getTime() || event.start.getTime() >= dayEnd.getTime()) continue;
      const from = Math.max(wallMinutes(event.start, dayStart, dayEnd), firstMinute);
      const to = wallMinutes(eventEnd, dayStart, dayEnd);
      if (to <= from) continue;
      const isStart = event.start.getTime() >= dayStart.getTime();
      const isEnd = eventEnd.getTime() <= dayEnd.getTime();
      pieces.push({
        event,
        day,
        top: from - firstMinute,
        height: Math.max(to - from, minMinutes),
        lane: 0,
        lanes: 1,
        isStart,
        isEnd,
        // FullCalendar's rule: on the event's first and last day the piece's times (the event's
        // own where it has them, the grid's first hour or midnight where it was cut), the start
        // alone for an event without an end, nothing on the days in between.
        time:
          isStart || isEnd
            ? { start: isStart ? event.start : gridStart, end: hasEnd ? (isEnd ? eventEnd : dayEnd) : null }
            : null,
      });
    }
    placed.push(...shareWidth(pieces));
  });
  return placed;
}

/**
 * Gives overlapping pieces of one day lanes side by side in FullCalendar's `eventOrder` (earlier
 * events, then longer ones, then by title) from the left, each in the first lane free at its
 * start; a group of pieces that overlap one another, directly or through others, shares one width.
 */
function shareWidth(pieces: PlacedEvent[]): PlacedEvent[] {
  const length = (e: WeekEvent) => Math.max(e.end.getTime() - e.start.getTime(), 0) || NO_LENGTH_MINUTES * 60_000;
  pieces.sort(
    (a, b) =>
      a.event.start.getTime() - b.event.start.getTime() ||
      length(b.event) - length(a.event) ||
      a.event.title.localeCompare(b.event.title) ||
      a.event.id - b.event.id,
  );
  let group: PlacedEvent[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const closeGroup = () => {
    for (const p of group) p.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const piece of pieces) {
    if (piece.top >= groupEnd) closeGroup();
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= piece.top);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = piece.top + piece.height;
    piece.lane = lane;
    group.push(piece);
    groupEnd = Math.max(groupEnd, piece.top + piece.height);
  }
  closeGroup();
  return pieces;
}
