// The calendar (C1): day, week and month; several employees' calendars at once, each in its
// colour; a click on a day or a slot offers the actions the Rust side allows.
//
// The window opens on it, so its start is what the user waits for: the opening week is
// first drawn from the data by the light `WeekPreview`, and FullCalendar, whose code and first
// render take about a tenth of a second, loads after that paint and takes over in the same place.
import type { EventInput } from "@fullcalendar/core";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, type ActivityDraft, type ActivityKind, type AppInfo, type CalendarEntry, type CalendarSlot, type Employee } from "../api";
import { errorText, Modal, NoticeBar, type Notice } from "../components/ui";
import { language, t, tDynamic } from "../i18n";
import { afterCalendarReady, markCalendarReady, markStep, startupTimeline } from "../startup";
import { localDate } from "../time";
import { ActivityDialog } from "./ActivityDialog";
import { linksOf } from "../components/ActivityLookups";
import type { Calendar } from "./calendar/fullCalendar";
import type { CalendarLabels } from "./calendar/calendarText";
import { WeekPreview } from "./calendar/WeekPreview";
import { FIRST_DAY, takeOpening, type Week } from "./calendar/opening";
import { weekOf, type WeekEvent } from "./calendar/weekLayout";
import { useLiveChanges } from "../live";
import { beginMark, endMark } from "../perf/marks";

/** The grid's first hour and the hour it opens scrolled to. */
const FIRST_HOUR = 6;
const SCROLL_HOUR = 8;
const NO_COLOUR = "#64748b";

// The startup benchmark measures up to the first calendar painted with its events, and
// up to FullCalendar painted over it: each is told to Rust once per window.
const startReported = { painted: false, ready: false };

function reportPainted() {
  markStep("painted");
  if (startReported.painted) return;
  startReported.painted = true;
  void api.firstPaint(startupTimeline()).catch(() => {});
}

function reportReady() {
  markStep("ready");
  // The rest of the start (notification centre, sign-in banner ...) may go on.
  markCalendarReady();
  if (startReported.ready) return;
  startReported.ready = true;
  void api.calendarReady(performance.now()).catch(() => {});
}

/** Runs `then` once the frame with the changes made so far has been painted. */
function afterPaint(then: () => void) {
  // The first frame callback runs before that frame is painted, the second one after it has been.
  requestAnimationFrame(() => requestAnimationFrame(then));
}

function calendarLabels(): CalendarLabels {
  return {
    today: t("calendar.today"),
    day: t("calendar.day"),
    week: t("calendar.week"),
    month: t("calendar.month"),
    allDay: t("calendar.allDay"),
  };
}

function colourMap(employees: Employee[]): Map<number, string> {
  return new Map(employees.map((e) => [e.id, e.color]));
}

export function CalendarView(props: { info: AppInfo; onOpenActivity: (id: number) => void }) {
  // The start's data on the window's first mount, else null and fetched here.
  const [opening] = useState(takeOpening);
  const host = useRef<HTMLDivElement>(null);
  const calendar = useRef<Calendar | null>(null);
  const [employees, setEmployees] = useState<Employee[]>([]);
  const me = props.info.current_employee?.id;
  const [opened, setOpened] = useState<number[]>(me ? [me] : []);
  const openedRef = useRef(opened);
  const colors = useRef(colourMap(opening?.employees ?? []));
  const colorOf = (e: CalendarEntry) => colors.current.get(e.calendar_employee_id) ?? NO_COLOUR;
  const weekEvents = (week: Week, entries: CalendarEntry[]) => ({
    ...week,
    events: entries.map((e) => ({
      id: e.id,
      title: e.subject,
      start: new Date(e.starts_at),
      end: new Date(e.ends_at),
      color: colorOf(e),
      kind: e.kind,
    })),
  });
  const [preview, setPreview] = useState<(Week & { events: WeekEvent[] }) | null>(() =>
    opening ? weekEvents(opening.week, opening.entries) : null,
  );
  const [choice, setChoice] = useState<{ slot: CalendarSlot; kinds: ActivityKind[] } | null>(null);
  const [draft, setDraft] = useState<ActivityDraft | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  // Says "loading" to screen readers while the first view stands in for FullCalendar. Filled
  // after the first paint, as screen readers announce a change of a live region, not its first
  // text, and written directly: a re-render for it would draw the whole first view again.
  const status = useRef<HTMLParagraphElement>(null);
  const announce = (text: string) => {
    if (status.current) status.current.textContent = text;
  };
  // Loads FullCalendar; set by the effect below, called once the first view has been painted.
  const loadFullCalendar = useRef<() => Promise<void>>(async () => {});
  // The opening week's entries until FullCalendar takes them; dropped when the opened calendars
  // change before that, so that FullCalendar fetches the week for the new choice.
  const firstWeek = useRef<Promise<CalendarEntry[]> | null>(null);

  // A layout effect: it runs as soon as the host is in the DOM, where a plain effect waits for the
  // next frame, and the calendar is what the window opens with.
  useLayoutEffect(() => {
    let mounted = true;
    const week = opening?.week ?? weekOf(new Date(), FIRST_DAY);
    // The employees bring the colours: the first week waits for them, so the events are drawn
    // once, in their colours.
    const employeesLoaded: Promise<void> = (opening ? Promise.resolve(opening.employees) : api.searchEmployees("")).then(
      (list) => {
        colors.current = colourMap(list);
        // The events need only the colours; the list of calendars is drawn after the start.
        void afterCalendarReady().then(() => mounted && setEmployees(list));
      },
      (e) => setNotice({ kind: "error", text: errorText(e) }),
    );
    const fetchRange = (from: Date, to: Date) =>
      Promise.all([api.calendarEntries(openedRef.current, from.toISOString(), to.toISOString()), employeesLoaded]).then(
        ([entries]) => entries,
      );
    // The opening week is fetched once: for the first view, then handed to FullCalendar.
    const openingWeek = opening ? Promise.resolve(opening.entries) : fetchRange(week.days[0], week.end);
    firstWeek.current = openingWeek;

    // FullCalendar's chunk is part of the app: when it cannot be loaded or drawn, the
    // installation is broken. The user is told, the first view goes, the rest of the start goes on.
    const failed = (e: unknown) => {
      console.error("FullCalendar could not be loaded", e);
      markCalendarReady();
      if (!mounted) return;
      announce("");
      setNotice({ kind: "error", text: t("calendar.loadFailed") });
      setPreview(null);
    };

    const createFullCalendar = (createCalendar: typeof import("./calendar/fullCalendar").createCalendar, element: HTMLElement) => {
      let rendered = false;
      const cal = createCalendar(element, {
        language: language(),
        labels: calendarLabels(),
        firstHour: FIRST_HOUR,
        scrollHour: SCROLL_HOUR,
        events: (range) => {
          const isFirstWeek = range.start.getTime() === week.days[0].getTime() && range.end.getTime() === week.end.getTime();
          const entries = (isFirstWeek && firstWeek.current) || fetchRange(range.start, range.end);
          firstWeek.current = null;
          return entries
            .then((list): EventInput[] =>
              list.map((e) => ({
                id: String(e.id),
                title: e.subject,
                start: e.starts_at,
                end: e.ends_at,
                backgroundColor: colorOf(e),
                borderColor: colorOf(e),
                classNames: [`kind-${e.kind}`],
                extendedProps: { kind: e.kind },
              })),
            )
            .catch((e) => {
              setNotice({ kind: "error", text: errorText(e) });
              throw e;
            })
            .finally(() => {
              // Rendered once its first range's events are in: one heavy first render with the
              // events rather than an empty one and a second one for them.
              if (rendered || !mounted) return;
              rendered = true;
              try {
                cal.render();
              } catch (e) {
                // What it drew is not usable: it goes, and nothing asks it for more.
                calendar.current = null;
                try {
                  cal.destroy();
                } catch {
                  // Already broken; the notice below says what to do.
                }
                failed(e);
                return;
              }
              announce("");
              setPreview(null);
              afterPaint(reportReady);
            });
        },
        onDateClick: (click) =>
          offerActions(
            click.allDay ? { type: "day", date: click.dateStr.slice(0, 10) } : { type: "time", start: click.date.toISOString() },
          ),
        onEventsShown: () => endMark("next_week"),
        onEventClick: (id, click) => {
          beginMark("open_record", click);
          props.onOpenActivity(id);
        },
      });
      return cal;
    };

    loadFullCalendar.current = async () => {
      try {
        const { createCalendar } = await import("./calendar/fullCalendar");
        if (mounted && host.current) calendar.current = createFullCalendar(createCalendar, host.current);
      } catch (e) {
        failed(e);
      }
    };

    if (!opening) {
      openingWeek.then(
        (entries) => {
          if (!mounted) return;
          // The opened calendars changed meanwhile: FullCalendar fetches the week for them.
          if (firstWeek.current !== openingWeek) return void loadFullCalendar.current();
          markStep("range");
          setPreview(weekEvents(week, entries));
        },
        (e) => {
          // No first view without its events; FullCalendar asks again and shows what it gets.
          setNotice({ kind: "error", text: errorText(e) });
          firstWeek.current = null;
          void loadFullCalendar.current();
        },
      );
    }
    return () => {
      mounted = false;
      calendar.current?.destroy();
      calendar.current = null;
    };
  }, []);

  // The first view is in the DOM: once it has been painted, FullCalendar's turn.
  const previewShown = () => {
    markStep("rendered");
    afterPaint(() => {
      // After the paint: in the task that inserted the live region it would be its first text.
      announce(t("calendar.loading"));
      reportPainted();
      void loadFullCalendar.current();
    });
  };

  // In the click's own task, not in an effect after the next frame: a week fetched before the
  // change must not be drawn or handed to FullCalendar after it.
  const toggle = (id: number) => {
    const next = opened.includes(id) ? opened.filter((x) => x !== id) : [...opened, id];
    openedRef.current = next;
    setOpened(next);
    if (calendar.current) calendar.current.refetchEvents();
    else firstWeek.current = null;
  };

  // An activity saved or deleted on any desktop: the opened calendars fetch their range again; an
  // employee changed: their names and colours too.
  useLiveChanges(["activity", "employee"], (change) => {
    const refetch = () => calendar.current?.refetchEvents();
    if (change !== null && change.record === "activity") return refetch();
    api.searchEmployees("").then((list) => {
      colors.current = colourMap(list);
      setEmployees(list);
      refetch();
    }, (e) => setNotice({ kind: "error", text: errorText(e) }));
  });

  // The action choice for a click on a day or slot, and for the keyboard's "New" button.
  const offerActions = async (slot: CalendarSlot) => {
    try {
      setChoice({ slot, kinds: await api.calendarActions() });
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
    }
  };

  const choose = async (kind: ActivityKind, click: Event) => {
    if (!choice) return;
    if (kind === "meeting" || kind === "teams_meeting") beginMark("meeting_dialog", click);
    try {
      setDraft(await api.activityDraft(kind, choice.slot, opened));
      setChoice(null);
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
    }
  };

  return (
    <div class="calendar-view">
      <aside class="calendars" aria-label={t("calendar.openedCalendars")}>
        <button class="primary wide" data-testid="calendar-new" onClick={() => offerActions({ type: "day", date: localDate(calendar.current?.getDate() ?? new Date()) })}>
          {t("common.new")} …
        </button>
        <h3>{t("calendar.openedCalendars")}</h3>
        <ul>
          {employees.map((e) => (
            <li key={e.id}>
              <label>
                <input type="checkbox" checked={opened.includes(e.id)} onChange={() => toggle(e.id)} data-testid={`calendar-${e.id}`} />
                <span class="swatch" style={{ background: e.color }} />
                {`${e.first_name} ${e.last_name}`.trim()}
              </label>
            </li>
          ))}
        </ul>
      </aside>
      <div class="calendar-main">
        <NoticeBar notice={notice} onClose={() => setNotice(null)} />
        <p class="sr-only" role="status" ref={status} />
        <div class="calendar-stage" aria-busy={preview ? "true" : undefined}>
          <div
            class="calendar-host"
            ref={host}
            data-testid="calendar"
            // FullCalendar's own "next" button: the week after, with its events (onEventsShown).
            onClickCapture={(e) => (e.target as Element).closest?.(".fc-next-button") && beginMark("next_week", e)}
          />
          {preview && (
            <WeekPreview
              {...preview}
              language={language()}
              firstHour={FIRST_HOUR}
              scrollHour={SCROLL_HOUR}
              labels={calendarLabels()}
              now={new Date()}
              onShown={previewShown}
            />
          )}
        </div>
      </div>
      {choice && (
        <Modal title={t("calendar.chooseAction")} onClose={() => setChoice(null)} testId="action-choice">
          <div class="actions">
            {choice.kinds.map((kind) => (
              <button key={kind} class="action" data-testid={`action-${kind}`} onClick={(e) => choose(kind, e)}>
                {tDynamic(`action.${kind}`, "activity.newTitle")}
                {kind === "teams_meeting" && <small class="hint">{t("calendar.teamsNote")}</small>}
              </button>
            ))}
          </div>
        </Modal>
      )}
      {draft && (
        <ActivityDialog
          draft={draft.input}
          wallClock={draft.wall_clock}
          participants={draft.participants}
          links={linksOf(draft)}
          onClose={() => setDraft(null)}
          onSaved={() => {
            setDraft(null);
            calendar.current?.refetchEvents();
          }}
        />
      )}
    </div>
  );
}
