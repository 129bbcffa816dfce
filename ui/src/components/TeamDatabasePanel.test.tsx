// @vitest-environment happy-dom
// "Einstellungen -> Team-Datenbank": the form sends what was typed, the password only when one is
// typed (else the stored one is kept), and shows the connection test's answer or Rust's field errors.
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import type { TeamDatabase, TeamDatabaseInput } from "../api";
import { until } from "../testing/until";

const calls = vi.hoisted(() => ({ saved: [] as TeamDatabaseInput[], tested: [] as TeamDatabaseInput[] }));
const answers = vi.hoisted(() => ({
  test: null as null | (() => Promise<unknown>),
  offered: true,
  moveIn: null as null | (() => Promise<unknown>),
  movedIn: 0,
}));

vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const stored: TeamDatabase = { host: "db.vertrieb.example", port: 5432, database: "treffpunkt", user: "jana", has_password: true, tls: "verified" };
  const api = {
    teamDatabase: async () => stored,
    saveTeamDatabase: async (input: TeamDatabaseInput) => {
      calls.saved.push(input);
      return { ...stored, host: input.host };
    },
    moveInOffered: async () => answers.offered,
    moveInToTeamDatabase: async () => {
      answers.movedIn += 1;
      return answers.moveIn ? answers.moveIn() : { business_partners: 12, contacts: 30, persons: 4, employees: 5, activities: 1200 };
    },
    testTeamDatabase: async (input: TeamDatabaseInput) => {
      calls.tested.push(input);
      return answers.test ? answers.test() : { server_version: "PostgreSQL 15.18", round_trip_ms: 3 };
    },
  };
  return { ...real, api };
});

const { TeamDatabasePanel } = await import("./TeamDatabasePanel");
const { CommandError } = await import("../api");
const { setLanguage } = await import("../i18n");

afterEach(() => {
  calls.saved.length = 0;
  calls.tested.length = 0;
  answers.test = null;
  answers.offered = true;
  answers.moveIn = null;
  answers.movedIn = 0;
  render(null, document.body);
  document.body.innerHTML = "";
});

async function form() {
  render(<TeamDatabasePanel />, document.body);
  const host = await until(() => {
    const input = document.querySelector<HTMLInputElement>("input[name=host]");
    return input?.value ? input : null;
  });
  return { host, password: document.querySelector<HTMLInputElement>("input[name=password]")! };
}

/** Types into a field and lets Preact render the new state. */
async function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((r) => setTimeout(r, 20));
}

describe("the team database form", () => {
  it("shows the stored connection and keeps the password unless a new one is typed", async () => {
    setLanguage("de");
    const { host, password } = await form();
    expect(host.value).toBe("db.vertrieb.example");
    expect(document.querySelector("[data-testid=team-password-state]")?.textContent).toBe("Passwort gespeichert");
    expect(password.value).toBe("");
    document.querySelector<HTMLButtonElement>("[data-testid=save-team-database]")!.click();
    await until(() => calls.saved.length === 1 || null);
    expect(calls.saved[0].password).toEqual({ action: "keep" });

    await type(password, "neu-und-geheim");
    document.querySelector<HTMLButtonElement>("[data-testid=save-team-database]")!.click();
    await until(() => calls.saved.length === 2 || null);
    expect(calls.saved[1].password).toEqual({ action: "replace", value: "neu-und-geheim" });
    // Sent once; the field is empty again.
    await until(() => (password.value === "" ? true : null));
  });

  it("shows the server's version and round trip after a test", async () => {
    setLanguage("de");
    await form();
    document.querySelector<HTMLButtonElement>("[data-testid=test-team-database]")!.click();
    const notice = await until(() => {
      const n = document.querySelector("[data-testid=notice]");
      return n?.textContent?.includes("Verbunden") ? n : null;
    });
    expect(notice.textContent).toContain("PostgreSQL 15.18");
    expect(notice.textContent).toContain("3 ms");
  });

  it("shows Rust's refusal at the field it names", async () => {
    setLanguage("en");
    answers.test = async () => {
      throw new CommandError("validation", "invalid input", [{ field: "tls", code: "plain_only_to_loopback" }]);
    };
    await form();
    document.querySelector<HTMLButtonElement>("[data-testid=test-team-database]")!.click();
    await until(() => (document.body.textContent?.includes("Without TLS only to this machine") ? true : null));
  });
});

describe("moving the local workspace in (T6)", () => {
  const button = () => document.querySelector<HTMLButtonElement>("[data-testid=move-in]");

  it("asks first, then reports what came over and that a restart opens the team workspace", async () => {
    setLanguage("de");
    await form();
    (await until(button))!.click();
    const confirm = await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-move-in]"));
    expect(answers.movedIn).toBe(0);
    confirm.click();
    const notice = await until(() => {
      const n = document.querySelector("[role=status], .notice");
      return n?.textContent?.includes("Übernommen") ? n : null;
    });
    expect(answers.movedIn).toBe(1);
    expect(notice.textContent).toContain("12 Geschäftspartner, 30 Ansprechpartner, 4 Personen, 5 Mitarbeiter und 1200 Aktivitäten");
    expect(notice.textContent).toContain("Starten Sie Treffpunkt neu");
  });

  it("is not offered where Rust says no (the demo, no saved connection)", async () => {
    answers.offered = false;
    setLanguage("de");
    await form();
    await new Promise((r) => setTimeout(r, 30));
    expect(button()).toBeNull();
  });

  it("says why nothing was copied into a team database that holds data", async () => {
    answers.moveIn = () => Promise.reject(new CommandError("team_db_not_empty", "not empty", []));
    setLanguage("en");
    await form();
    (await until(button))!.click();
    (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-move-in]"))).click();
    const notice = await until(() => {
      const n = document.querySelector(".notice");
      return n?.textContent?.includes("holds data already") ? n : null;
    });
    expect(notice.textContent).toContain("nothing was changed");
  });
});
