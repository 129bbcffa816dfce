//! `m365-sim`: the Microsoft 365 simulator on its own (G1), for trying the sign-in by hand.

use treffpunkt::simulator::{demo_tenant, JoinLink, SimSwitch, SimUser, Simulator};

const HELP: &str = "m365-sim: a local Microsoft 365 simulator (identity platform v2 and Graph v1.0)

Usage: m365-sim [--port N] [--client-id GUID] [--domain DOMAIN] [--user UPN]... [--fault F]...

  --port N          listen on 127.0.0.1:N (default 8910; 0 picks a free port)
  --client-id GUID  the public-client app registration (default: the demo workspace's)
  --domain DOMAIN   the tenant's domain (default treffpunkt-demo.onmicrosoft.com)
  --user UPN        a work account that can sign in (repeatable; default: one demo user)
  --fault F         a lasting misbehaviour (repeatable): throttling (every other event creation
                    gets 429 with Retry-After), graph_unreachable, sign_in_revoked,
                    mailbox_without_teams
  --join-link WHEN  when a Teams meeting's join link shows: immediate (default), never, or
                    after:N (from the N-th read of the event on)
  --transaction-memory SECONDS
                    how long a transactionId finds its event (default: as long as it runs)
  --help            this text

Point a mail configuration at it with the cloud \"custom\": authority URL and Graph URL are both
the base URL printed at start. Sign-in pages offer each account; Ctrl+C stops the simulator.";

fn main() {
    let mut port: u16 = 8910;
    let mut client_id = treffpunkt::demo::DEMO_CLIENT_ID.to_string();
    let mut domain = treffpunkt::demo::DEMO_DOMAIN.to_string();
    let mut users = Vec::new();
    let mut switches = Vec::new();
    let mut join_link = JoinLink::Immediate;
    let mut transaction_memory = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next().unwrap_or_else(|| {
                eprintln!("{name} needs a value; see --help");
                std::process::exit(2)
            })
        };
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return;
            }
            "--port" => {
                port = value("--port").parse().unwrap_or_else(|_| {
                    eprintln!("--port takes a number from 0 to 65535");
                    std::process::exit(2)
                })
            }
            "--client-id" => client_id = value("--client-id"),
            "--domain" => domain = value("--domain"),
            "--user" => {
                let upn = value("--user");
                let name = upn.split('@').next().unwrap_or("user").to_string();
                users.push(SimUser::work(&upn, &name, ""));
            }
            "--fault" => {
                let name = value("--fault");
                let switch = serde_json::from_value::<SimSwitch>(serde_json::json!(name))
                    .unwrap_or_else(|_| {
                        eprintln!("--fault {name}: unknown; see --help for the faults");
                        std::process::exit(2)
                    });
                switches.push(switch);
            }
            "--join-link" => {
                let when = value("--join-link");
                join_link = match when.as_str() {
                    "immediate" => JoinLink::Immediate,
                    "never" => JoinLink::Never,
                    w => match w.strip_prefix("after:").and_then(|n| n.parse().ok()) {
                        Some(n) => JoinLink::AfterReads(n),
                        None => {
                            eprintln!("--join-link takes immediate, never or after:N");
                            std::process::exit(2)
                        }
                    },
                };
            }
            "--transaction-memory" => {
                let seconds: i64 = value("--transaction-memory").parse().unwrap_or_else(|_| {
                    eprintln!("--transaction-memory takes a number of seconds");
                    std::process::exit(2)
                });
                transaction_memory = Some(chrono::Duration::seconds(seconds));
            }
            other => {
                eprintln!("unknown option {other}; see --help");
                std::process::exit(2)
            }
        }
    }
    if users.is_empty() {
        users.push(SimUser::work(&format!("demo@{domain}"), "Demo", "User"));
    }
    for user in &mut users {
        user.join_link = join_link;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let sim = Simulator::start(port, vec![demo_tenant(&client_id, &domain, users)])
            .await
            .unwrap_or_else(|e| {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                std::process::exit(1)
            });
        sim.state.set_transaction_memory(transaction_memory);
        for switch in switches {
            sim.state.set_switch(switch, true);
        }
        println!("{}", sim.base_url());
        let _ = tokio::signal::ctrl_c().await;
    });
}
