// Live changes in a team workspace: Rust hears the team database (LISTEN/NOTIFY) and hands each
// message to the window as the DOM event `treffpunkt:live` (the webview may not listen to Tauri's
// events). Views that show records reload when a change of their kind arrives; after the server
// was lost and is back, everything shown reloads, as what changed meanwhile was not heard.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { LiveMessage, LiveRecord } from "./api/bindings";

export const LIVE_EVENT = "treffpunkt:live";

/** A change to reload for: a record of `record` with `id`, or everything (`null`) after a loss. */
export type LiveChange = { record: LiveRecord; id: number } | null;

type Listener = (change: LiveChange) => void;
const listeners = new Set<Listener>();
// `retryInSecs` is null while no attempt's wait is known (a start without the server).
let lost: { retryInSecs: number | null; at: number } | null = null;
let heardListening = false;
const statusListeners = new Set<() => void>();

function receive(e: Event) {
  const m = (e as CustomEvent<LiveMessage>).detail;
  if (!m || typeof m !== "object") return;
  if (m.event === "changed") {
    listeners.forEach((l) => l({ record: m.record, id: m.id }));
  } else if (m.event === "lost") {
    lost = { retryInSecs: m.retry_in_secs, at: Date.now() };
    statusListeners.forEach((l) => l());
  } else if (m.event === "listening") {
    heardListening = true;
    const wasLost = lost !== null;
    lost = null;
    statusListeners.forEach((l) => l());
    if (wasLost) listeners.forEach((l) => l(null));
  }
}
if (typeof window !== "undefined") window.addEventListener(LIVE_EVENT, receive);

/** The app started without an answer from its team database (Rust keeps trying): the window says
 * so until the listener is heard listening, and then reloads everything shown. A listener heard
 * before this call has connected already. */
export function startUnconnected() {
  if (heardListening || lost) return;
  lost = { retryInSecs: null, at: Date.now() };
  statusListeners.forEach((l) => l());
}

/** Calls `reload` when another desktop (or this one) changed a record of one of `records`, with
 * the change; or with `null` when the team database is back after a loss. */
export function useLiveChanges(records: LiveRecord[], reload: (change: LiveChange) => void) {
  const latest = useRef(reload);
  latest.current = reload;
  const kinds = records.join(",");
  // Registered with the render itself, not after the next frame: a change heard as the view
  // appears is not missed.
  useLayoutEffect(() => {
    const wanted = new Set(kinds.split(","));
    const listener: Listener = (change) => {
      if (change === null || wanted.has(change.record)) latest.current(change);
    };
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, [kinds]);
}

/** Seconds until the next attempt to reach the lost team database (counting down), `"connecting"`
 * while no attempt's wait is known yet, or `null` while it is reachable. */
export function useTeamDatabaseLost(): number | "connecting" | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    const changed = () => setTick((n) => n + 1);
    statusListeners.add(changed);
    const timer = setInterval(changed, 1000);
    return () => {
      statusListeners.delete(changed);
      clearInterval(timer);
    };
  }, []);
  if (!lost) return null;
  if (lost.retryInSecs === null) return "connecting";
  return Math.max(0, Math.ceil(lost.retryInSecs - (Date.now() - lost.at) / 1000));
}
