//! A test "browser" for the sign-in: an HTTP client that follows the authorize redirects to the
//! app's loopback listener, as a user's browser would, handed to the app like `$BROWSER`.

use std::sync::{Arc, Mutex};

use treffpunkt::microsoft::identity::Browser;

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    /// Follows every redirect, as a user who accepts.
    Accept,
    /// Changes `state` on the way back to the app.
    TamperState,
    /// Clicks "Cancel" on the consent page.
    Cancel,
    /// Never answers (a closed browser tab).
    Ignore,
    /// Sends the callback twice.
    Replay,
}

/// A browser that is an HTTP client: it follows the authorize redirects to the loopback listener
/// and keeps what the last page said.
#[derive(Clone)]
pub struct TestBrowser {
    mode: Mode,
    last_page: Arc<Mutex<Vec<(u16, String)>>>,
    /// Every URL it opened, the callback with its code included.
    pub visited: Arc<Mutex<Vec<String>>>,
}

impl TestBrowser {
    pub fn new(mode: Mode) -> Self {
        TestBrowser {
            mode,
            last_page: Arc::new(Mutex::new(Vec::new())),
            visited: Arc::new(Mutex::new(Vec::new())),
        }
    }

    #[allow(dead_code)]
    pub fn pages(&self) -> Vec<(u16, String)> {
        self.last_page.lock().unwrap().clone()
    }
}

impl Browser for TestBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        if self.mode == Mode::Ignore {
            return Ok(());
        }
        let (mode, pages, start) = (self.mode, self.last_page.clone(), url.to_string());
        let visited = self.visited.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let mut url = reqwest::Url::parse(&start).unwrap();
            for _ in 0..10 {
                visited.lock().unwrap().push(url.to_string());
                let r = match http.get(url.clone()).send().await {
                    Ok(r) => r,
                    Err(_) => return,
                };
                let status = r.status();
                if let Some(location) = r.headers().get("location").and_then(|l| l.to_str().ok()) {
                    let mut next = url.join(location).unwrap();
                    if next.host_str() == Some("127.0.0.1")
                        && next.path() == "/"
                        && next.port() != url.port()
                    {
                        if mode == Mode::TamperState {
                            let pairs: Vec<(String, String)> = next
                                .query_pairs()
                                .map(|(k, v)| {
                                    let forged = k == "state";
                                    (
                                        k.into_owned(),
                                        if forged {
                                            "forged".into()
                                        } else {
                                            v.into_owned()
                                        },
                                    )
                                })
                                .collect();
                            next.query_pairs_mut().clear().extend_pairs(pairs);
                        }
                        if mode == Mode::Replay {
                            let first = http.get(next.clone()).send().await;
                            let text = match first {
                                Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                                Err(_) => (0, String::new()),
                            };
                            pages.lock().unwrap().push(text);
                        }
                    }
                    url = next;
                    continue;
                }
                let body = r.text().await.unwrap_or_default();
                if mode == Mode::Cancel {
                    if let Some(href) = body
                        .split("class=\"cancel\" href=\"")
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                    {
                        url = url.join(&href.replace("&amp;", "&")).unwrap();
                        continue;
                    }
                }
                pages.lock().unwrap().push((status.as_u16(), body));
                return;
            }
        });
        Ok(())
    }
}

/// Who a signed-in scenario starts with: Anna, an employee whose Microsoft 365 account is `upn`,
/// Lena, a contact, and the simulator at `simulator_url` as the mail configuration of every
/// employee (app `client_id` in tenant `tenant`). Returns Anna's and Lena's ids.
#[allow(dead_code)]
pub fn insert_anna_lena_and_simulator(
    c: &rusqlite::Connection,
    upn: &str,
    client_id: &str,
    tenant: &str,
    simulator_url: String,
) -> Result<(i64, i64), treffpunkt::store::StoreError> {
    use treffpunkt::crm::mail_configuration::{
        validate_with, Cloud, Groupware, MailConfigurationInput, SecretChange, UrlPolicy,
    };
    use treffpunkt::crm::model::{ContactFields, EmployeeFields};
    use treffpunkt::store::{contacts, employees, mail_configurations};

    let anna = employees::insert(
        c,
        &EmployeeFields {
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            email: Some(upn.into()),
            color: "#2563eb".into(),
            ..Default::default()
        },
    )?;
    let lena = contacts::insert(
        c,
        &ContactFields {
            first_name: "Lena".into(),
            last_name: "Vogel".into(),
            email: Some("lena@fabrikam.example".into()),
            ..Default::default()
        },
    )?;
    let config = validate_with(
        &MailConfigurationInput {
            name: "Simulator".into(),
            groupware: Groupware::MsGraph,
            client_id: client_id.into(),
            tenant_id: tenant.into(),
            cloud: Cloud::Custom,
            custom_authority_url: simulator_url.clone(),
            custom_graph_url: simulator_url,
            client_secret: SecretChange::Keep,
        },
        // The simulator listens on the loopback interface, over plain http.
        UrlPolicy::AllowHttpLoopback,
    )
    .expect("the simulator's mail configuration is valid");
    let mc = mail_configurations::insert(c, &config, 0)?;
    employees::assign_mail_configuration_to_all(c, mc)?;
    Ok((anna, lena))
}
