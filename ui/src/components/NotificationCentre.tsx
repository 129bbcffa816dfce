// D1: the in-app notification centre. It asks for due reminders every little while (the Rust side
// records each reminder once) and offers "An Besprechung teilnehmen" for Teams meetings.
import { useEffect, useState } from "preact/hooks";
import { api, type Notification } from "../api";
import { errorText } from "./ui";
import { t } from "../i18n";
import { afterCalendarReady } from "../startup";

const POLL_MS = 15_000;

export function NotificationCentre(props: { onOpenActivity: (id: number) => void }) {
  const [items, setItems] = useState<Notification[]>([]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.notifications().then(setItems, (e) => setError(errorText(e)));

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    let gone = false;
    void afterCalendarReady().then(() => {
      if (gone) return;
      load();
      timer = setInterval(load, POLL_MS);
    });
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, []);
  // A new reminder opens the centre by itself.
  const [seen, setSeen] = useState(0);
  useEffect(() => {
    if (items.length > seen) setOpen(true);
    setSeen(items.length);
  }, [items.length]);

  const dismiss = (id: number) => api.dismissNotification(id).then(load, (e) => setError(errorText(e)));

  return (
    <div class="notifications">
      <button type="button" class="bell" data-testid="notifications-button" aria-expanded={open} onClick={() => (load(), setOpen(!open))}>
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>{" "}
        <span class="count">{items.length}</span>
        <span class="sr-only">{t("reminders.title")}</span>
      </button>
      {open && (
        <section class="notification-list" data-testid="notifications" aria-label={t("reminders.title")}>
          <h3>{t("reminders.title")}</h3>
          {error && <p class="error">{error}</p>}
          {items.length === 0 && <p class="muted">{t("reminders.empty")}</p>}
          <ul>
            {items.map((r) => (
              <li key={r.id} data-testid="reminder">
                <strong>{r.subject}</strong>
                <small class="muted"> {r.starts_local}</small>
                <div class="toolbar">
                  {r.join_url && (
                    <button type="button" class="primary teams" data-testid="reminder-join" onClick={() => api.joinMeeting(r.activity_id).catch((e) => setError(errorText(e)))}>
                      {t("meeting.join")}
                    </button>
                  )}
                  <button type="button" onClick={() => (setOpen(false), props.onOpenActivity(r.activity_id))}>
                    {t("reminders.open")}
                  </button>
                  <button type="button" onClick={() => dismiss(r.id)}>
                    {t("reminders.dismiss")}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
