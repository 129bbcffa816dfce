// Treffpunkt's window (loaded by main.tsx): navigation, the demo mark, and the view of the moment.
import { render } from "preact";
import { useLayoutEffect, useState } from "preact/hooks";
import { api, type AppInfo, type RecordType } from "./api";
import { NotificationCentre } from "./components/NotificationCentre";
import { TeamsToolbarIcon, type OpenRecord } from "./components/TeamsToolbarIcon";
import { SignInBanner } from "./components/SignInBanner";
import { ConnectionBanner } from "./components/ConnectionBanner";
import { errorText } from "./components/ui";
import { setLanguage, t, tDynamic } from "./i18n";
import { ActivitiesList } from "./views/ActivitiesList";
import { ActivityPage } from "./views/ActivityPage";
import { CalendarView } from "./views/CalendarView";
import { ListView } from "./views/ListView";
import { RecordPage } from "./views/RecordPage";
import { RECORDS } from "./views/records";
import { SettingsView } from "./views/SettingsView";
import { markStep } from "./startup";
import { startUnconnected, useLiveChanges } from "./live";
import { FIRST_DAY, keepOpening } from "./views/calendar/opening";
import { weekOf } from "./views/calendar/weekLayout";
import { setLimits } from "./limits";
import { setMarksReporting } from "./perf/marks";
import "./styles.css";

type Route =
  | { view: "calendar" }
  | { view: "activities" }
  | { view: "activity"; id: number }
  | { view: "list"; type: RecordType }
  | { view: "record"; type: RecordType; id: number | null }
  | { view: "settings" };

const NAV: { route: Route; label: Parameters<typeof t>[0]; testId: string }[] = [
  { route: { view: "calendar" }, label: "nav.calendar", testId: "nav-calendar" },
  { route: { view: "list", type: "business_partner" }, label: "nav.business_partners", testId: "nav-business_partner" },
  { route: { view: "list", type: "contact" }, label: "nav.contacts", testId: "nav-contact" },
  { route: { view: "list", type: "employee" }, label: "nav.employees", testId: "nav-employee" },
  { route: { view: "list", type: "person" }, label: "nav.persons", testId: "nav-person" },
  { route: { view: "activities" }, label: "nav.activities", testId: "nav-activities" },
  { route: { view: "settings" }, label: "nav.settings", testId: "nav-settings" },
];

/** What the whole UI follows of the app's facts: its language, limits and whether it times itself. */
function takeFacts(info: AppInfo) {
  setLanguage(info.language);
  setLimits(info);
  setMarksReporting(info.report_marks);
}

function App(props: { initialInfo: AppInfo }) {
  const [info, setInfo] = useState<AppInfo>(props.initialInfo);
  const [history, setHistory] = useState<Route[]>([{ view: "calendar" }]);
  const route = history[history.length - 1];

  const applyInfo = (i: AppInfo) => {
    takeFacts(i);
    setInfo(i);
  };

  // Back after the team database was away (or first reached after a start without it): the
  // facts (the own employee, whether Teams is on) are the team database's, read again.
  useLiveChanges([], (change) => {
    if (change === null) api.appInfo().then(applyInfo, (e) => console.error("app_info failed", e));
  });

  const go = (r: Route) => setHistory([...history, r]);
  const back = () => setHistory(history.length > 1 ? history.slice(0, -1) : [{ view: "calendar" }]);
  const openRecord = (type: RecordType, id: number) => go({ view: "record", type, id });
  const openActivity = (id: number) => go({ view: "activity", id });
  // D1: a click on a reminder's OS notification opens its activity (Rust brings the window up).
  // Listening from the first render on (a layout effect, not one after the next frame): a click
  // that arrives as the window opens is not lost.
  useLayoutEffect(() => {
    const open = (e: Event) => {
      const id = (e as CustomEvent<unknown>).detail;
      if (typeof id === "number") setHistory((h) => [...h, { view: "activity", id }]);
    };
    window.addEventListener("treffpunkt:open-activity", open);
    return () => window.removeEventListener("treffpunkt:open-activity", open);
  }, []);
  // The record on screen: the main toolbar's Teams icon calls it.
  const open: OpenRecord =
    route.view === "record" && route.id !== null ? { kind: route.type, id: route.id } : route.view === "activity" ? { kind: "activity", id: route.id } : null;
  const active = (r: Route) => r.view === route.view && (r.view !== "list" || (route.view === "list" && r.type === route.type));

  return (
    // Keyed by language: a switch renders everything anew in the other language.
    <div class={info.demo ? "app demo" : "app"} key={info.language}>
      <header class="topbar">
        <strong class="brand">Treffpunkt</strong>
        {info.demo && (
          <span class="demo-badge" title={t("app.demoHint")} data-testid="demo-badge">
            {t("app.demo")}
          </span>
        )}
        {info.team_workspace && (
          <span class="team-badge" title={t("app.teamHint")} data-testid="team-badge">
            {t("app.team", { label: info.team_workspace.label })}
          </span>
        )}
        <nav>
          {NAV.map((n) => (
            <button key={n.testId} class={active(n.route) ? "active" : ""} data-testid={n.testId} onClick={() => setHistory([n.route])}>
              {t(n.label)}
            </button>
          ))}
        </nav>
        <span class="spacer" />
        <TeamsToolbarIcon open={open} refreshKey={route} />
        <NotificationCentre onOpenActivity={openActivity} />
        {info.current_employee && (
          <a href="#" class="muted" data-testid="own-employee" onClick={(e) => (e.preventDefault(), openRecord("employee", info.current_employee!.id))}>
            {info.current_employee.label}
          </a>
        )}
      </header>
      {info.team_workspace?.unreachable && (
        <div class="notice error banner" role="alert" data-testid="team-unreachable">
          {t("app.teamUnreachable", { label: info.team_workspace.label, reason: tDynamic(`error.${info.team_workspace.unreachable}`, "error.team_db_error") })}
        </div>
      )}
      <SignInBanner refreshKey={route} />
      <ConnectionBanner />
      <main>
        {route.view === "calendar" && <CalendarView info={info} onOpenActivity={openActivity} />}
        {route.view === "activities" && <ActivitiesList onOpen={openActivity} />}
        {route.view === "activity" && <ActivityPage key={route.id} id={route.id} onOpen={openRecord} onOpenActivity={openActivity} onBack={back} />}
        {route.view === "list" && <ListView config={RECORDS[route.type]} onOpen={(id) => go({ view: "record", type: route.type, id })} />}
        {route.view === "record" && (
          <RecordPage
            key={`${route.type}-${route.id}`}
            type={route.type}
            id={route.id}
            onOpen={openRecord}
            onOpenActivity={openActivity}
            onCreated={(id) => setHistory([...history.slice(0, -1), { view: "record", type: route.type, id }])}
            onBack={back}
            ownEmployeeId={info.current_employee?.id}
          />
        )}
        {route.view === "settings" && <SettingsView info={info} onLanguage={applyInfo} />}
      </main>
    </div>
  );
}

/** Shows the window's UI in `host`. */
export function mountApp(host: HTMLElement) {
  // The app's facts and the opening week's data come in one answer before the first render, so
  // that the calendar's first view is in it: not from an effect (Preact runs effects after the
  // next frame) nor from requests of its own (each a round trip before the first paint).
  const week = weekOf(new Date(), FIRST_DAY);
  const show = (info: AppInfo) => {
    takeFacts(info);
    if (info.team_workspace?.connecting) startUnconnected();
    render(<App initialInfo={info} />, host);
  };
  api.openingView(week.days[0].toISOString(), week.end.toISOString()).then(
    ({ info, employees, entries }) => {
      markStep("info");
      markStep("range");
      keepOpening({ week, employees, entries });
      show(info);
    },
    // Without the week the window still opens: the calendar asks for it itself and says what
    // went wrong, as it does for any other week.
    (e) => {
      console.error("opening_view failed", e);
      api.appInfo().then(show, (e) => {
        // Without the app's facts the language is the system's.
        setLanguage(navigator.language.toLowerCase().startsWith("de") ? "de" : "en");
        render(
          <p class="notice error" role="alert">
            {t("app.startFailed", { reason: errorText(e) })}
          </p>,
          host,
        );
      });
    },
  );
}
