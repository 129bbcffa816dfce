// Reports the first paint once, as Treffpunkt's calendar does: the first frame callback runs
// before the page's first frame is painted, the second one after it has been.
const script = performance.now();
window.addEventListener("load", () =>
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      window.__TAURI_INTERNALS__
        .invoke("first_paint", {
          pageOriginEpochMs: performance.timeOrigin,
          script,
          painted: performance.now(),
        })
        .catch(() => {}),
    ),
  ),
);
