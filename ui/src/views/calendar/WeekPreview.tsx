// The calendar's first view: the opening week with its events, drawn from the data while
// FullCalendar's code loads and renders, then covered by FullCalendar's week in the same place.
// It looks like FullCalendar's week view and cannot be used yet: its buttons are disabled, and it
// is hidden from screen readers, which hear from the calendar view that the calendar is loading;
// FullCalendar takes over about a tenth of a second later.
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Language } from "../../api/bindings";
import { dayHeader, eventTime, hourLabel, wallTime, weekTitle, type CalendarLabels } from "./calendarText";
import { EVENT_MIN_PX, EVENT_SHORT_PX, placeEvents, type WeekEvent } from "./weekLayout";

export interface PreviewProps {
  /** The week's seven local midnights and the one after them. */
  days: Date[];
  end: Date;
  events: WeekEvent[];
  language: Language;
  /** The grid's first and scrolled-to hours, as in FullCalendar's options. */
  firstHour: number;
  scrollHour: number;
  labels: CalendarLabels;
  now: Date;
  /** Called once the view is in the DOM. */
  onShown: () => void;
}

/** The height of an hour of the grid in px: FullCalendar's two slots of 1.5em (of 14px). */
export const HOUR_PX = 42;

/** FullCalendar's chevron icons: a 1em square at 1.5em. */
function Chevron(props: { left?: boolean }) {
  return (
    <svg class="wp-icon" viewBox="0 0 16 16" aria-hidden="true">
      <polyline points={props.left ? "10,3 5,8 10,13" : "6,3 11,8 6,13"} fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

export function WeekPreview(props: PreviewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = (props.scrollHour - props.firstHour) * HOUR_PX;
    props.onShown();
  }, []);

  const firstMinute = props.firstHour * 60;
  const placed = placeEvents(props.days, props.end, props.events, { firstMinute, hourPx: HOUR_PX, minPx: EVENT_MIN_PX });
  const hours = Array.from({ length: 24 - props.firstHour }, (_, i) => props.firstHour + i);
  const todayIndex = props.days.findIndex(
    (d, i) => props.now >= d && props.now < (props.days[i + 1] ?? props.end),
  );
  const last = new Date(props.end.getTime() - 1);
  const nowMinutes = props.now.getHours() * 60 + props.now.getMinutes() - props.firstHour * 60;

  return (
    <div class="week-preview" aria-hidden="true" data-testid="calendar-preview">
      <div class="wp-toolbar">
        <div class="wp-chunk">
          <span class="wp-group">
            <button disabled class="wp-button">
              <Chevron left />
            </button>
            <button disabled class="wp-button">
              <Chevron />
            </button>
          </span>
          <button disabled class="wp-button wp-today">{props.labels.today}</button>
        </div>
        <h2 class="wp-title">{weekTitle(wallTime(props.days[0]), wallTime(last), props.language)}</h2>
        <span class="wp-group">
          <button disabled class="wp-button">{props.labels.day}</button>
          <button disabled class="wp-button wp-active">{props.labels.week}</button>
          <button disabled class="wp-button">{props.labels.month}</button>
        </span>
      </div>
      <div class="wp-grid">
        <div class="wp-row wp-head">
          <div class="wp-axis" />
          {props.days.map((d) => (
            <div key={d.getTime()} class="wp-cell">
              {dayHeader(wallTime(d), props.language)}
            </div>
          ))}
        </div>
        <div class="wp-row wp-all-day">
          <div class="wp-axis">{props.labels.allDay}</div>
          {props.days.map((d, i) => (
            <div key={d.getTime()} class={i === todayIndex ? "wp-cell wp-is-today" : "wp-cell"} />
          ))}
        </div>
        <div class="wp-scroller" ref={scroller}>
          <div class="wp-body" style={{ height: `${hours.length * HOUR_PX}px` }}>
            {hours.map((h) => (
              <div key={h} class="wp-hour" style={{ top: `${(h - props.firstHour) * HOUR_PX}px` }}>
                <span class="wp-axis">{hourLabel(h, props.language)}</span>
              </div>
            ))}
            <div class="wp-columns">
              {props.days.map((d, day) => (
                <div key={d.getTime()} class={day === todayIndex ? "wp-col wp-is-today" : "wp-col"}>
                  {day === todayIndex && nowMinutes >= 0 && <div class="wp-now" style={{ top: `${(nowMinutes / 60) * HOUR_PX}px` }} />}
                  {placed
                    .filter((p) => p.day === day)
                    .map((p) => (
                      <div
                        key={p.event.id}
                        class={[
                          "wp-event",
                          `kind-${p.event.kind}`,
                          p.height < EVENT_SHORT_PX && "wp-short",
                          p.cutTop && "wp-cut-top",
                          p.cutBottom && "wp-cut-bottom",
                        ]
                          .filter(Boolean)
                          .join(" ")}
                        style={{
                          top: `${p.top}px`,
                          // FullCalendar leaves 1px free below each event.
                          height: `${p.height - 1}px`,
                          // FullCalendar's inset of the events in a column: 2px left, 2.5% right.
                          left: `calc(2px + ${p.left} * (100% - 2px - 2.5%))`,
                          width: `calc(${p.width} * (100% - 2px - 2.5%))`,
                          zIndex: p.depth + 1,
                          background: p.event.color,
                          borderColor: p.event.color,
                        }}
                      >
                        {p.time && (
                          <div class="wp-event-time">
                            {eventTime(wallTime(p.time.start), p.time.end && wallTime(p.time.end))}
                          </div>
                        )}
                        <div class="wp-event-title">{p.event.title}</div>
                      </div>
                    ))}
                </div>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
