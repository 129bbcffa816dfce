//! A throwaway PostgreSQL server for tests (tests/postgres/throwaway-server.sh: initdb and pg_ctl
//! in a temporary directory on a free loopback port), one per test process, stopped and removed
//! when the process ends, however it ends. The integration tests and the benchmarks include this
//! file by path.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The server's superuser, as the script creates it.
pub const SUPERUSER: &str = "treffpunkt_admin";

pub struct Server {
    pub dir: PathBuf,
    pub port: u16,
    password: String,
}

impl Server {
    /// The superuser's password.
    pub fn password(&self) -> String {
        self.password.clone()
    }

    /// A connection string for `database` as the superuser.
    pub fn url(&self, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={SUPERUSER} password={} dbname={database}",
            self.port, self.password
        )
    }
}

/// A database of its own for one test, created empty by the superuser.
pub struct TestDatabase {
    server: &'static Server,
    pub name: String,
}

impl Server {
    pub fn fresh_database(&'static self) -> TestDatabase {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("the test server accepts its superuser");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        TestDatabase { server: self, name }
    }
}

impl TestDatabase {
    pub fn superuser(&self) -> postgres::Client {
        postgres::Client::connect(&self.server.url(&self.name), postgres::NoTls)
            .expect("connect as the superuser")
    }

    /// A login (made on first use, cluster-wide) in `role`, connected to this database.
    pub fn login(&self, login: &str, role: &str) -> postgres::Client {
        let url = self.login_url(login, role);
        postgres::Client::connect(&url, postgres::NoTls).expect("connect as the login")
    }

    /// Opens a connection as `login` (made now, in `role`) each time it is called, as the app's
    /// engine and live listener do after a loss.
    pub fn connector(
        &self,
        login: &str,
        role: &str,
    ) -> impl Fn() -> Result<postgres::Client, postgres::Error> + Send + 'static {
        let url = self.login_url(login, role);
        move || postgres::Client::connect(&url, postgres::NoTls)
    }

    /// Ends every session of this database whose last statement was `query` (the server's
    /// superuser ends them as an administrator or a crash would): how many.
    pub fn terminate_sessions(&self, query: &str) -> usize {
        let mut admin = self.superuser();
        admin
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = $1 AND query = $2 AND pid <> pg_backend_pid()",
                &[&self.name, &query],
            )
            .expect("terminate sessions")
            .len()
    }

    fn login_url(&self, login: &str, role: &str) -> String {
        let mut admin = self.superuser();
        admin
            .batch_execute(&format!(
                "DO $$ BEGIN
                     CREATE ROLE {login} LOGIN PASSWORD 'pw-{login}';
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                 END $$;
                 GRANT {role} TO {login};"
            ))
            .expect("create a login");
        format!(
            "host=127.0.0.1 port={} user={login} password=pw-{login} dbname={}",
            self.server.port, self.name
        )
    }
}

/// The process's server, started on first use.
pub fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start().unwrap_or_else(|e| panic!("{e}")))
}

/// A server of the caller's own, for a test that changes server-wide settings; stopped with the
/// process, as the shared one.
pub fn separate() -> &'static Server {
    Box::leak(Box::new(start().unwrap_or_else(|e| panic!("{e}"))))
}

fn start() -> Result<Server, String> {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/postgres/throwaway-server.sh");
    // Directly in the temporary directory: the server's own user must pass through its parent.
    let dir = std::env::temp_dir().join(format!(
        "treffpunkt-pg-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    let out = Command::new("bash")
        .arg(&script)
        .arg("start")
        .arg(&dir)
        .arg(std::process::id().to_string())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the test PostgreSQL server did not start (make deps installs it):\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("the server script named no port: {e}"))?;
    let password = std::fs::read_to_string(dir.join("superuser-password"))
        .map_err(|e| format!("cannot read the superuser's password: {e}"))?
        .trim()
        .to_string();
    Ok(Server {
        dir,
        port,
        password,
    })
}
