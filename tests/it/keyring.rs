//! Secrets at rest with a real OS keyring: GNOME Keyring's Secret Service on a private
//! session bus started here. The database key is made once, kept there, found again by a restarted
//! app, and a secret written under it is read back and is nowhere in the database file. (The case
//! without a keyring is `store::sealing`'s unit tests and every other test, which have none.)

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use treffpunkt::crm::mail_configuration::{
    validate, Cloud, Groupware, MailConfigurationInput, SecretChange,
};
use treffpunkt::secret_key::database_key;
use treffpunkt::store::{mail_configurations, Db};

const SECRET: &str = "client-secret-Kp4";

/// A session bus with GNOME Keyring's Secret Service on it, ended on drop.
struct PrivateKeyring {
    bus: Child,
    _home: tempfile::TempDir,
}

impl PrivateKeyring {
    fn start() -> PrivateKeyring {
        let home = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (make test installs dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        // The test runs alone in its process (`common::isolated`), so the variables are its own.
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        std::env::set_var("XDG_DATA_HOME", home.path().join("data"));
        std::env::set_var("XDG_RUNTIME_DIR", home.path());
        std::env::remove_var(treffpunkt::secret_key::KEYRING_ENV);
        // --unlock reads the login keyring's password on stdin and creates that keyring.
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (make test installs gnome-keyring)");
        daemon
            .stdin
            .take()
            .unwrap()
            .write_all(b"test-password")
            .unwrap();
        // It forks the daemon and exits once that is on the bus.
        assert!(daemon.wait_with_output().unwrap().status.success());
        // A desktop session's keyring has a default collection (the login keyring), which the
        // keyring crate stores into. A daemon started this way does not always name it (seen on
        // Debian 12's gnome-keyring 42 when started from a test process), so name it here: the
        // setting of a real desktop, not the behaviour under test.
        let login = "objpath:/org/freedesktop/secrets/collection/login";
        let secrets = |method: &str, args: &[&str]| {
            Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.secrets",
                    "/org/freedesktop/secrets",
                ])
                .arg(format!("org.freedesktop.Secret.Service.{method}"))
                .args(args)
                .output()
                .expect("dbus-send (make test installs dbus)")
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let _ = secrets("SetAlias", &["string:default", login]);
            let alias = secrets("ReadAlias", &["string:default"]);
            if String::from_utf8_lossy(&alias.stdout).contains("/collection/login") {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the private Secret Service has no login collection"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        PrivateKeyring { bus, _home: home }
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        // The keyring daemon leaves with its bus.
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

#[test]
fn the_database_key_lives_in_the_keyring_and_a_restarted_app_reads_its_secrets() {
    if !crate::common::isolated::alone(
        module_path!(),
        "the_database_key_lives_in_the_keyring_and_a_restarted_app_reads_its_secrets",
    ) {
        return;
    }
    let _keyring = PrivateKeyring::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("treffpunkt.sqlite");

    let key = database_key(&path).expect("a key from the Secret Service");
    assert_eq!(database_key(&path).unwrap(), key, "kept, not made again");
    assert_ne!(
        database_key(&dir.path().join("other.sqlite")).unwrap(),
        key,
        "one key per database"
    );

    let config = {
        let db = Db::open(&path).unwrap();
        db.use_secret_key(&key).unwrap();
        db.with(|c| {
            let input = MailConfigurationInput {
                name: "Contoso".into(),
                groupware: Groupware::MsGraph,
                client_id: "11111111-1111-4111-8111-111111111111".into(),
                tenant_id: "contoso.onmicrosoft.com".into(),
                cloud: Cloud::Global,
                custom_authority_url: String::new(),
                custom_graph_url: String::new(),
                client_secret: SecretChange::Replace {
                    value: SECRET.into(),
                },
            };
            mail_configurations::insert(c, &validate(&input).unwrap(), 1)
        })
        .unwrap()
    };
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));

    // The app starts again: the same key from the keyring opens the secret.
    let db = Db::open(&path).unwrap();
    db.use_secret_key(&database_key(&path).unwrap()).unwrap();
    assert!(db.seals_secrets());
    let secret = db
        .with(|c| mail_configurations::client_secret(c, config))
        .unwrap();
    assert_eq!(secret.as_deref(), Some(SECRET));
}
