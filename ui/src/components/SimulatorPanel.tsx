// The demo workspace's "Simulator" panel: misbehaviours of the simulated Microsoft 365 to switch
// on, so that a user sees what the app does when Microsoft 365 throttles, cannot be reached,
// revokes the sign-in or has a mailbox without Teams. Rust says which switches exist.
import { useEffect, useState } from "preact/hooks";
import { api, type SimSwitch, type SimSwitchState } from "../api";
import { t, tDynamic } from "../i18n";
import { errorText } from "./ui";

export function SimulatorPanel() {
  const [switches, setSwitches] = useState<SimSwitchState[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api.simulatorSwitches().then(setSwitches, (e) => setError(errorText(e))), []);
  if (switches.length === 0 && !error) return null;

  const set = async (s: SimSwitch, on: boolean) => {
    try {
      setSwitches(await api.setSimulatorSwitch(s, on));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section data-testid="simulator-panel">
      <h3>{t("simulator.title")}</h3>
      <p class="muted small">{t("simulator.hint")}</p>
      {error && <p class="notice error" role="alert">{error}</p>}
      {switches.map((s) => (
        <label class="check" key={s.switch}>
          <input type="checkbox" data-testid={`sim-${s.switch}`} checked={s.on} onChange={(e) => set(s.switch, e.currentTarget.checked)} />
          <span>{tDynamic(`simulator.${s.switch}`, "simulator.title")}</span>
        </label>
      ))}
    </section>
  );
}
