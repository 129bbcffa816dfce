// The calendar (C1): day, week and month; several employees' calendars at once, each in its
// colour; a click on a day or a slot offers the actions the Rust side allows.
import { Calendar } from "@fullcalendar/core";
import deLocale from "@fullcalendar/core/locales/de";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin from "@fullcalendar/interaction";
import timeGridPlugin from "@fullcalendar/timegrid";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, type ActivityDraft, type ActivityKind, type AppInfo, type CalendarSlot, type Employee } from "../api";
import { errorText, Modal, NoticeBar, type Notice } from "../components/ui";
import { language, t, tDynamic } from "../i18n";
import { afterFirstPaint, markFirstPaint, markStep, startupTimeline } from "../startup";
import { localDate } from "../time";
import { ActivityDialog } from "./ActivityDialog";

// The startup benchmark (issue 6) measures up to the first calendar painted with its events.
let firstPaintReported = false;

/** Tells Rust, once per window, that the calendar shows its first range's events. */
function reportFirstPaint() {
  if (firstPaintReported) return;
  firstPaintReported = true;
  // Called when the fetch has ended; FullCalendar renders its events synchronously right after.
  // The first frame callback runs before that frame is painted, the second one after it has been.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      markStep("painted");
      markFirstPaint();
      void api.firstPaint(startupTimeline()).catch(() => {});
    }),
  );
}

export function CalendarView(props: { info: AppInfo; onOpenActivity: (id: number) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const calendar = useRef<Calendar | null>(null);
  const [employees, setEmployees] = useState<Employee[]>([]);
  const me = props.info.current_employee?.id;
  const [opened, setOpened] = useState<number[]>(me ? [me] : []);
  const openedRef = useRef(opened);
  const colors = useRef(new Map<number, string>());
  const [choice, setChoice] = useState<{ slot: CalendarSlot; kinds: ActivityKind[] } | null>(null);
  const [draft, setDraft] = useState<ActivityDraft | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  // A layout effect: it runs as soon as the host is in the DOM, where a plain effect waits for the
  // next frame, and the calendar is what the window opens with.
  useLayoutEffect(() => {
    if (!host.current) return;
    // The employees bring the colours: the first range waits for them, so the events are
    // rendered once, in their colours, instead of being fetched again when they arrive.
    const employeesLoaded = api.searchEmployees("").then(
      (list) => {
        colors.current = new Map(list.map((e) => [e.id, e.color]));
        // The events need only the colours; the list of calendars is drawn after the first paint.
        void afterFirstPaint().then(() => setEmployees(list));
      },
      (e) => setNotice({ kind: "error", text: errorText(e) }),
    );
    // The calendar is rendered once its first range's events are in: one heavy first render
    // with the events rather than an empty one and a second one for them.
    let rendered = false;
    const renderOnce = () => {
      if (rendered) return;
      rendered = true;
      cal.render();
      markStep("rendered");
    };
    const cal = new Calendar(host.current, {
      plugins: [dayGridPlugin, timeGridPlugin, interactionPlugin],
      locales: [deLocale],
      locale: language() === "de" ? "de" : "en-gb",
      initialView: "timeGridWeek",
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
      buttonText: { today: t("calendar.today"), day: t("calendar.day"), week: t("calendar.week"), month: t("calendar.month") },
      height: "100%",
      nowIndicator: true,
      slotMinTime: "06:00:00",
      scrollTime: "08:00:00",
      firstDay: 1,
      loading: (isLoading) => {
        if (!isLoading) reportFirstPaint();
      },
      events: (range, success, failure) => {
        const entries = api.calendarEntries(openedRef.current, range.start.toISOString(), range.end.toISOString());
        Promise.all([entries, employeesLoaded])
          .then(([entries]) => {
            markStep("range");
            success(
              entries.map((e) => ({
                id: String(e.id),
                title: e.subject,
                start: e.starts_at,
                end: e.ends_at,
                backgroundColor: colors.current.get(e.calendar_employee_id) ?? "#64748b",
                borderColor: colors.current.get(e.calendar_employee_id) ?? "#64748b",
                classNames: [`kind-${e.kind}`],
                extendedProps: { kind: e.kind },
              })),
            );
          })
          .catch((e) => {
            setNotice({ kind: "error", text: errorText(e) });
            failure(e);
          })
          .finally(renderOnce);
      },
      dateClick: (click) =>
        offerActions(
          click.allDay
            ? { type: "day", date: click.dateStr.slice(0, 10) }
            : { type: "time", start: click.date.toISOString() },
        ),
      eventClick: (click) => {
        click.jsEvent.preventDefault();
        props.onOpenActivity(Number(click.event.id));
      },
    });
    calendar.current = cal;
    return () => {
      rendered = true; // a range that arrives after unmounting renders nothing
      cal.destroy();
    };
  }, []);

  useEffect(() => {
    // On mount the calendar fetches its first range itself.
    if (openedRef.current === opened) return;
    openedRef.current = opened;
    calendar.current?.refetchEvents();
  }, [opened]);

  const toggle = (id: number) =>
    setOpened(opened.includes(id) ? opened.filter((x) => x !== id) : [...opened, id]);

  // The action choice for a click on a day or slot, and for the keyboard's "New" button.
  const offerActions = async (slot: CalendarSlot) => {
    try {
      setChoice({ slot, kinds: await api.calendarActions() });
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
    }
  };

  const choose = async (kind: ActivityKind) => {
    if (!choice) return;
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
        <div class="calendar-host" ref={host} data-testid="calendar" />
      </div>
      {choice && (
        <Modal title={t("calendar.chooseAction")} onClose={() => setChoice(null)} testId="action-choice">
          <div class="actions">
            {choice.kinds.map((kind) => (
              <button key={kind} class="action" data-testid={`action-${kind}`} onClick={() => choose(kind)}>
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
          participants={draft.participants}
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
