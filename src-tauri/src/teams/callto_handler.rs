//! Whether the OS hands `callto:` to anything (E3). The seed relies on the OS mapping `callto:` to
//! Teams; on a Linux desktop without such a mapping a call would vanish without a word, so the
//! settings say so and offer the Teams call link instead. Reading xdg-mime's answer and deciding
//! are pure functions; running xdg-mime is the thin edge beside them.

use serde::Serialize;
use ts_rs::TS;

use crate::crm::settings::{CallLinkMode, SystemSettings};

/// What the OS does with a `callto:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CalltoHandler {
    /// This desktop entry opens it (e.g. `teams-for-linux.desktop`).
    Handled { handler: String },
    /// Nothing opens it: a `callto:` call goes nowhere.
    Nothing,
    /// Not known here (an OS where the app does not ask).
    Unknown,
}

/// What running `xdg-mime query default x-scheme-handler/callto` gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XdgMimeAnswer {
    /// It ran to its end, successfully or not, and printed `stdout`.
    Ran { success: bool, stdout: Vec<u8> },
    /// It could not be started (not installed, or not executable).
    NotRun,
}

/// The handler xdg-mime names: the first line of a successful run's output. Empty output, a
/// failed run or a missing xdg-mime all mean that nothing is known to open `callto:`, and on an
/// OS other than Linux (`on_linux` false) xdg-mime is not asked at all.
pub fn callto_handler(on_linux: bool, ask: impl FnOnce() -> XdgMimeAnswer) -> CalltoHandler {
    if !on_linux {
        return CalltoHandler::Unknown;
    }
    match ask() {
        XdgMimeAnswer::Ran {
            success: true,
            stdout,
        } => match String::from_utf8_lossy(&stdout)
            .lines()
            .next()
            .map(str::trim)
        {
            Some(handler) if !handler.is_empty() => CalltoHandler::Handled {
                handler: handler.to_string(),
            },
            _ => CalltoHandler::Nothing,
        },
        XdgMimeAnswer::Ran { success: false, .. } | XdgMimeAnswer::NotRun => CalltoHandler::Nothing,
    }
}

/// What the settings show about `callto:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CalltoCheck {
    pub handler: CalltoHandler,
    /// The notice that nothing opens `callto:`, with the offer to hand calls over as Teams call
    /// links: shown while calls are on ("MS Teams Integration aktivieren") and would go out as
    /// `callto:` to an OS that is known to open nothing for it.
    pub offer_teams_link: bool,
}

pub fn check(handler: CalltoHandler, settings: &SystemSettings) -> CalltoCheck {
    let offer_teams_link = handler == CalltoHandler::Nothing
        && settings.call_link_mode == CallLinkMode::Callto
        && settings.teams_integration_enabled;
    CalltoCheck {
        handler,
        offer_teams_link,
    }
}

/// Runs `xdg-mime query default x-scheme-handler/callto` (found on `PATH`).
pub fn ask_xdg_mime() -> XdgMimeAnswer {
    match std::process::Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/callto"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
    {
        Ok(out) => XdgMimeAnswer::Ran {
            success: out.status.success(),
            stdout: out.stdout,
        },
        Err(_) => XdgMimeAnswer::NotRun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(success: bool, stdout: &str) -> impl FnOnce() -> XdgMimeAnswer {
        let stdout = stdout.as_bytes().to_vec();
        move || XdgMimeAnswer::Ran { success, stdout }
    }

    #[test]
    fn xdg_mimes_answer_names_the_handler_or_nothing() {
        assert_eq!(
            callto_handler(true, ran(true, "teams-for-linux.desktop\n")),
            CalltoHandler::Handled {
                handler: "teams-for-linux.desktop".into()
            }
        );
        assert_eq!(
            callto_handler(true, ran(true, "  com.microsoft.Teams.desktop  \nsecond\n")),
            CalltoHandler::Handled {
                handler: "com.microsoft.Teams.desktop".into()
            }
        );
        for empty in ["", "\n", "   \n"] {
            assert_eq!(
                callto_handler(true, ran(true, empty)),
                CalltoHandler::Nothing,
                "{empty:?}"
            );
        }
        // xdg-mime exits 3 or 4 where a tool it needs is missing or the query failed; what it
        // printed then is no handler.
        assert_eq!(
            callto_handler(true, ran(false, "teams.desktop\n")),
            CalltoHandler::Nothing
        );
        assert_eq!(
            callto_handler(true, || XdgMimeAnswer::NotRun),
            CalltoHandler::Nothing
        );
    }

    #[test]
    fn other_oses_are_not_asked_and_show_no_notice() {
        let handler = callto_handler(false, || panic!("xdg-mime is asked on Linux only"));
        assert_eq!(handler, CalltoHandler::Unknown);
        let on = SystemSettings {
            teams_integration_enabled: true,
            ..Default::default()
        };
        assert!(!check(handler, &on).offer_teams_link);
    }

    /// The notice shows where calls go out as callto: to an OS that opens nothing for it, and
    /// only there: not once the Teams call link is chosen, not with a handler, not with calls off.
    #[test]
    fn the_notice_shows_only_where_a_callto_call_would_vanish() {
        let settings = |integration, mode| SystemSettings {
            teams_integration_enabled: integration,
            call_link_mode: mode,
            ..Default::default()
        };
        let handled = CalltoHandler::Handled {
            handler: "teams.desktop".into(),
        };
        for handler in [CalltoHandler::Nothing, handled, CalltoHandler::Unknown] {
            for integration in [false, true] {
                for mode in [CallLinkMode::Callto, CallLinkMode::TeamsLink] {
                    let got = check(handler.clone(), &settings(integration, mode));
                    let expected = handler == CalltoHandler::Nothing
                        && integration
                        && mode == CallLinkMode::Callto;
                    assert_eq!(
                        got.offer_teams_link, expected,
                        "{handler:?} integration={integration} {mode:?}"
                    );
                    assert_eq!(got.handler, handler);
                }
            }
        }
    }
}
