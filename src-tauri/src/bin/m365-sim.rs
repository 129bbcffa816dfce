//! `m365-sim`: the Microsoft 365 simulator on its own (G1), for trying the sign-in by hand.

use treffpunkt::simulator::{demo_tenant, SimUser, Simulator};

const HELP: &str = "m365-sim: a local Microsoft 365 simulator (identity platform v2 and Graph v1.0)

Usage: m365-sim [--port N] [--client-id GUID] [--domain DOMAIN] [--user UPN]...

  --port N          listen on 127.0.0.1:N (default 8910; 0 picks a free port)
  --client-id GUID  the public-client app registration (default: the demo workspace's)
  --domain DOMAIN   the tenant's domain (default treffpunkt-demo.onmicrosoft.com)
  --user UPN        a work account that can sign in (repeatable; default: one demo user)
  --help            this text

Point a mail configuration at it with the cloud \"custom\": authority URL and Graph URL are both
the base URL printed at start. Sign-in pages offer each account; Ctrl+C stops the simulator.";

fn main() {
    let mut port: u16 = 8910;
    let mut client_id = treffpunkt::demo::DEMO_CLIENT_ID.to_string();
    let mut domain = treffpunkt::demo::DEMO_DOMAIN.to_string();
    let mut users = Vec::new();
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
            other => {
                eprintln!("unknown option {other}; see --help");
                std::process::exit(2)
            }
        }
    }
    if users.is_empty() {
        users.push(SimUser::work(&format!("demo@{domain}"), "Demo", "User"));
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let sim = Simulator::start(port, vec![demo_tenant(&client_id, &domain, users)])
            .await
            .unwrap_or_else(|e| {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                std::process::exit(1)
            });
        println!("{}", sim.base_url());
        let _ = tokio::signal::ctrl_c().await;
    });
}
