// FullCalendar with Treffpunkt's options: loaded on its own, after the calendar's first view has
// been painted, because its code is three quarters of the UI's and its first render of a
// week takes about a tenth of a second of cold JavaScript here.
import { Calendar, type EventInput, type EventSourceFuncArg } from "@fullcalendar/core";
import deLocale from "@fullcalendar/core/locales/de";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { type DateClickArg } from "@fullcalendar/interaction";
import timeGridPlugin from "@fullcalendar/timegrid";
import type { Language } from "../../api/bindings";
import { dayHeader, eventTime, hourLabel, weekTitle, type CalendarLabels } from "./calendarText";
import { EVENT_MIN_PX, EVENT_SHORT_PX } from "./weekLayout";

export type { Calendar };

export interface CalendarOptions {
  language: Language;
  labels: CalendarLabels;
  firstHour: number;
  scrollHour: number;
  /** The events of a range, as FullCalendar asks for them. */
  events: (range: EventSourceFuncArg) => Promise<EventInput[]>;
  /** A range's events have been put in the DOM. */
  onEventsShown: () => void;
  onDateClick: (click: DateClickArg) => void;
  onEventClick: (id: number, click: MouseEvent) => void;
}

const hh = (hour: number) => `${String(hour).padStart(2, "0")}:00:00`;

/** A week view in `host`, not yet rendered. */
export function createCalendar(host: HTMLElement, o: CalendarOptions): Calendar {
  return new Calendar(host, {
    plugins: [dayGridPlugin, timeGridPlugin, interactionPlugin],
    locales: [deLocale],
    locale: o.language === "de" ? "de" : "en-gb",
    initialView: "timeGridWeek",
    headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
    buttonText: { today: o.labels.today, day: o.labels.day, week: o.labels.week, month: o.labels.month },
    allDayText: o.labels.allDay,
    // The week view's text comes from the module the first view draws with.
    views: {
      timeGrid: {
        slotLabelFormat: (arg) => hourLabel(arg.date.hour, o.language),
        eventTimeFormat: (arg) => eventTime(arg.start, arg.end ?? null),
      },
      timeGridWeek: {
        titleFormat: (arg) => weekTitle(arg.start, arg.end ?? arg.start, o.language),
        dayHeaderFormat: (arg) => dayHeader(arg.date, o.language),
      },
    },
    height: "100%",
    nowIndicator: true,
    // Overlapping events side by side, as the first view draws them, with its sizes.
    slotEventOverlap: false,
    eventMinHeight: EVENT_MIN_PX,
    eventShortHeight: EVENT_SHORT_PX,
    slotMinTime: hh(o.firstHour),
    scrollTime: hh(o.scrollHour),
    firstDay: 1,
    events: (range, success, failure) => {
      o.events(range).then((events) => {
        // FullCalendar draws what it is given before `success` returns.
        success(events);
        o.onEventsShown();
      }, failure);
    },
    dateClick: o.onDateClick,
    eventClick: (click) => {
      click.jsEvent.preventDefault();
      o.onEventClick(Number(click.event.id), click.jsEvent);
    },
  });
}
