// A list's search as the user types. Each text is looked for at once when no search is on its
// way: a letter's rows come as soon as Rust answers, not after a pause in the typing. While one is
// on its way, only the newest text typed meanwhile waits, and is looked for when it answers: a
// slow search is not asked again for every letter, and the searches queue up on nothing. An
// answer is shown only when no newer text waits, so the rows shown always answer the text shown.
import { useCallback, useEffect, useRef } from "preact/hooks";

/** Returns `look(text)`, which searches `text` now or after the search on its way. */
export function useLatestSearch<T>(
  search: (text: string) => Promise<T>,
  show: (text: string, found: T) => void,
  fail: (e: unknown) => void,
): (text: string) => void {
  // The callbacks of the latest render: the list's type may change between a text and its answer.
  const latest = useRef({ search, show, fail });
  latest.current = { search, show, fail };
  const state = useRef({ busy: false, next: null as string | null, mounted: true });
  useEffect(() => {
    state.current.mounted = true;
    return () => void (state.current.mounted = false);
  }, []);

  return useCallback((text: string) => {
    const s = state.current;
    const run = (text: string) => {
      s.busy = true;
      const answered = (then: () => void) => {
        s.busy = false;
        const next = s.next;
        s.next = null;
        if (!s.mounted) return;
        // A newer text waits: it is looked for, and this answer is not shown.
        if (next !== null) return run(next);
        then();
      };
      latest.current.search(text).then(
        (found) => answered(() => latest.current.show(text, found)),
        (e) => answered(() => latest.current.fail(e)),
      );
    };
    if (s.busy) s.next = text;
    else run(text);
  }, []);
}
