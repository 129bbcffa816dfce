// After a save refused because someone saved the record meanwhile: each field where the typed
// value and the one stored now differ, side by side; the user takes the stored values or saves
// their own over them. The pages say which fields differ and how each reads.
import { t } from "../i18n";

export type Differing = { field: string; label: string; mine: string; stored: string };

export function StoredBeside(props: { rows: Differing[]; onTake: () => void; onKeep: () => void }) {
  return (
    <section class="conflict" data-testid="conflict" aria-label={t("conflict.title")}>
      <h3>{t("conflict.title")}</h3>
      <table>
        <thead>
          <tr>
            <th>{t("conflict.field")}</th>
            <th>{t("conflict.mine")}</th>
            <th>{t("conflict.current")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.field} data-field={r.field}>
              <th scope="row">{r.label}</th>
              <td data-testid="conflict-mine">{r.mine}</td>
              <td data-testid="conflict-current">{r.stored}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <footer class="form-footer">
        <button type="button" data-testid="conflict-take-current" onClick={props.onTake}>
          {t("conflict.takeCurrent")}
        </button>
        <button type="button" class="primary" data-testid="conflict-keep-mine" onClick={props.onKeep}>
          {t("conflict.keepMine")}
        </button>
      </footer>
    </section>
  );
}
