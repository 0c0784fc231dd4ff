//! A local SMTP server for the mail tests: `scripts/smtp-sink.py` (aiosmtpd,
//! from PyPI) started by the test, which writes each message it receives
//! as a JSON file (envelope, decoded subject, text and HTML bodies).
//!
//! The Python it runs is `WEAVER_SMTP_PYTHON` (`.ci/run` sets it to the
//! venv that `scripts/smtp-venv.sh` makes), else `python3`. Where it cannot
//! start (no Python, no aiosmtpd), a test prints a SKIPPED line — unless
//! `WEAVER_REQUIRE_SMTP` or `CI` is set, as in `.ci/run`, where it fails.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Whether this run must test mail (no skipping).
pub fn smtp_required() -> bool {
    std::env::var_os("WEAVER_REQUIRE_SMTP").is_some() || std::env::var_os("CI").is_some()
}

/// A running SMTP sink; stopped, its folder removed, when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    /// The port it listens on, at 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl SmtpSink {
    /// Starts a sink on a free port, or gives `None` (after a SKIPPED line)
    /// when it cannot start and mail is not required.
    ///
    /// # Panics
    /// When mail is required and the sink cannot start.
    pub fn start() -> Option<SmtpSink> {
        let python = std::env::var("WEAVER_SMTP_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp-sink.py");
        let dir = std::env::temp_dir().join(format!(
            "weaver-smtp-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        let refuse = |why: String| {
            if smtp_required() {
                panic!("the test SMTP server is required here but {why}");
            }
            eprintln!(
                "SKIPPED this mail test: {why} (run `bash scripts/smtp-venv.sh` and set \
                 WEAVER_SMTP_PYTHON to the python it prints)"
            );
            None
        };
        let mut child = match Command::new(&python)
            .arg(&script)
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => return refuse(format!("{python} cannot be run: {e}")),
        };
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let port = line
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            return refuse(format!(
                "{python} {} did not start (is aiosmtpd installed?)",
                script.display()
            ));
        };
        let stdin = child.stdin.take();
        Some(SmtpSink {
            port,
            dir,
            child,
            stdin,
        })
    }

    /// The messages received so far, in the order they arrived: each with
    /// `mail_from`, `rcpt_tos`, `from`, `to`, `subject`, `text` and `html`.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
                serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
            })
            .collect()
    }

    /// The messages received once at least `n` have arrived, or after 30
    /// seconds, whichever comes first (the caller checks how many came).
    pub fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..300 {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Closing its standard input ends it; killing it is the fallback.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
