// D2: the memo of a sent meeting, read-only. Its join link (which Rust appended on send) is one
// clickable link inside the text, shown once; it opens through `join_meeting` (which checks the
// link's cloud), never as a raw href. Whether it is a link at all Rust decides (`join`, C7).
import { t } from "../i18n";

/** The link as a person reads it: Teams links arrive percent-encoded ("19%3ameeting_..."). */
function readable(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

export function ReadOnlyMemo(props: { memo: string; joinUrl: string | null; onJoin: () => void }) {
  const link = (key: number) => (
    <a
      key={key}
      href="#"
      class="memo-link"
      data-testid="memo-join-link"
      title={t("meeting.join")}
      onClick={(e) => (e.preventDefault(), props.onJoin())}
    >
      {readable(props.joinUrl!)}
    </a>
  );
  const parts = props.joinUrl ? props.memo.split(props.joinUrl) : [props.memo];
  return (
    <div class="memo readonly" data-testid="memo" style={{ whiteSpace: "pre-wrap" }}>
      {parts.flatMap((text, i) => (i === 0 ? [text] : [link(i), text]))}
      {props.joinUrl && parts.length === 1 && (
        <>
          {props.memo && "\n\n"}
          {link(0)}
        </>
      )}
    </div>
  );
}
