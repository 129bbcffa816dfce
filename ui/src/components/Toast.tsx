// A notice that floats at the window's edge instead of pushing the layout aside: what a button in
// the main toolbar or beside a field reports. Information goes away by itself; an error stays
// until it is closed.
import { useEffect } from "preact/hooks";
import { NoticeBar, type Notice } from "./ui";

const INFO_MS = 4000;

export function Toast(props: { notice: Notice; onClose: () => void }) {
  useEffect(() => {
    if (props.notice?.kind !== "info") return;
    const timer = setTimeout(props.onClose, INFO_MS);
    return () => clearTimeout(timer);
  }, [props.notice]);
  if (!props.notice) return null;
  return (
    <div class="toast">
      <NoticeBar notice={props.notice} onClose={props.onClose} />
    </div>
  );
}
