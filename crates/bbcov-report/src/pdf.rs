//! HTML → PDF with headless Chromium.
//!
//! The browser is `BBCOV_CHROMIUM` when set, else the first of `chromium`,
//! `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`.
//! It prints the self-contained HTML of [`crate::html`] with its own
//! `@page` rules (A4, page numbers in the bottom margin) and without the
//! browser's header and footer. Japanese text needs a CJK font the browser
//! can find and embed: on Debian, `apt-get install chromium fonts-noto-cjk`
//! (`scripts/setup.sh` installs them).
//!
//! Chromium's PDF backend (Skia) embeds CFF-flavoured OpenType fonts, such
//! as Noto Sans CJK, as Type 3 fonts: the glyphs are embedded as outlines,
//! text stays searchable and copyable (with a `ToUnicode` map), and the font
//! descriptors name `NotoSansCJKjp-…`, but `pdffonts` lists them as
//! `[none] Type 3`. A press-ready PDF with CID fonts needs a TrueType-flavoured
//! font first in the font stack (e.g. Debian's `fonts-ipaexfont-gothic`).
//!
//! ```no_run
//! use std::path::Path;
//! use bbcov_report::pdf::{html_file_to_pdf, PdfOptions};
//! html_file_to_pdf(Path::new("report.html"), Path::new("report.pdf"), &PdfOptions::default())?;
//! # Ok::<(), bbcov_report::Error>(())
//! ```

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// Environment variable naming the browser executable.
pub const BROWSER_ENV: &str = "BBCOV_CHROMIUM";

/// Browser executables looked up on `PATH`, in order.
pub const BROWSER_NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How to print a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    /// The browser executable; `None` finds one with [`find_chromium`].
    pub browser: Option<PathBuf>,
    /// How long the browser may take before it is killed.
    pub timeout: Duration,
}

impl Default for PdfOptions {
    /// Finds the browser; 120 s timeout.
    fn default() -> Self {
        PdfOptions {
            browser: None,
            timeout: Duration::from_secs(120),
        }
    }
}

/// The browser to print with: `BBCOV_CHROMIUM` if set (a path, or a name
/// looked up on `PATH`), else the first of [`BROWSER_NAMES`] on `PATH`.
///
/// ```no_run
/// let browser = bbcov_report::pdf::find_chromium()?;
/// # Ok::<(), bbcov_report::Error>(())
/// ```
pub fn find_chromium() -> Result<PathBuf> {
    find_browser(std::env::var_os(BROWSER_ENV), std::env::var_os("PATH"))
}

/// [`find_chromium`] with the values of `BBCOV_CHROMIUM` and `PATH` given.
fn find_browser(env: Option<OsString>, path: Option<OsString>) -> Result<PathBuf> {
    let on_path = |name: &OsStr| {
        let path = path.as_ref()?;
        std::env::split_paths(path)
            .map(|dir| dir.join(name))
            .find(|p| is_executable(p))
    };
    if let Some(value) = env.filter(|v| !v.is_empty()) {
        let candidate = PathBuf::from(&value);
        let found = if candidate.components().count() > 1 {
            is_executable(&candidate).then_some(candidate)
        } else {
            on_path(&value)
        };
        return found.ok_or_else(|| Error::ChromiumNotFound {
            tried: format!("{BROWSER_ENV}={}", value.to_string_lossy()),
        });
    }
    BROWSER_NAMES
        .iter()
        .find_map(|name| on_path(name.as_ref()))
        .ok_or_else(|| Error::ChromiumNotFound {
            tried: BROWSER_NAMES.join(", ") + " on PATH",
        })
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Whether this process runs as root (Chromium then needs `--no-sandbox`).
fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // /proc/self belongs to the process's effective user.
        std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// A `file://` URL of an absolute path, percent-encoding what a URL path may not hold.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                url.push(b as char)
            }
            b'\\' => url.push('/'),
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// A fresh, empty directory under the system's temporary directory.
pub(crate) fn temp_dir(prefix: &str) -> Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let base = std::env::temp_dir();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(dir, e)),
        }
    }
}

/// Prints the HTML file `html` to the PDF file `pdf` with headless Chromium.
///
/// The browser gets a fresh profile directory (removed afterwards), so that
/// several prints can run at once; it is killed after `options.timeout`.
/// Succeeds only when `pdf` exists afterwards and starts with `%PDF`.
pub fn html_file_to_pdf(html: &Path, pdf: &Path, options: &PdfOptions) -> Result<()> {
    let browser = match &options.browser {
        Some(b) => b.clone(),
        None => find_chromium()?,
    };
    let html = std::fs::canonicalize(html).map_err(|e| Error::io(html, e))?;
    let pdf_abs = absolute(pdf)?;
    match std::fs::remove_file(&pdf_abs) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&pdf_abs, e)),
    }
    let profile = temp_dir("bbcov-chromium")?;
    let result = run_browser(&browser, &html, &pdf_abs, &profile, options.timeout);
    // Best effort: a browser helper may still hold a file for a moment.
    let _ = std::fs::remove_dir_all(&profile);
    result?;
    let mut head = [0u8; 5];
    let ok = std::fs::File::open(&pdf_abs)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head[..4] == b"%PDF";
    if ok {
        Ok(())
    } else {
        Err(Error::NotAPdf { path: pdf_abs })
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    Ok(cwd.join(path))
}

fn run_browser(
    browser: &Path,
    html: &Path,
    pdf: &Path,
    profile: &Path,
    timeout: Duration,
) -> Result<()> {
    let mut command = Command::new(browser);
    command
        .arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-extensions")
        .arg("--disable-background-networking")
        .arg("--run-all-compositor-stages-before-draw")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if running_as_root() {
        command.arg("--no-sandbox");
    }
    command
        .arg(file_url(html))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| Error::ChromiumFailed {
        browser: browser.to_path_buf(),
        status: "could not start".into(),
        stderr: e.to_string(),
    })?;
    // Drain stderr on a thread so a chatty browser cannot block on a full
    // pipe; read it through a channel so that a helper process still holding
    // the pipe open after the browser exits cannot hang us.
    let (sender, stderr) = std::sync::mpsc::channel();
    if let Some(mut pipe) = child.stderr.take() {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            let _ = sender.send(text);
        });
    }
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::ChromiumTimeout {
                    browser: browser.to_path_buf(),
                    timeout,
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => {
                return Err(Error::ChromiumFailed {
                    browser: browser.to_path_buf(),
                    status: "lost".into(),
                    stderr: e.to_string(),
                });
            }
        }
    };
    let stderr = stderr
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or_default();
    if status.success() {
        Ok(())
    } else {
        // The last lines say why; the rest is noise.
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = lines[lines.len().saturating_sub(8)..].join("\n");
        Err(Error::ChromiumFailed {
            browser: browser.to_path_buf(),
            status: status.to_string(),
            stderr: tail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/報告#1.html")),
            "file:///tmp/a%20b/%E5%A0%B1%E5%91%8A%231.html"
        );
        assert_eq!(
            file_url(Path::new("/x/report.html")),
            "file:///x/report.html"
        );
    }

    #[test]
    fn a_missing_browser_says_what_to_install() {
        let err = find_browser(Some("/no/such/chromium".into()), None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("BBCOV_CHROMIUM=/no/such/chromium")
                && err.contains("apt-get install chromium"),
            "{err}"
        );
        let err = find_browser(None, Some("".into())).unwrap_err().to_string();
        assert!(
            err.contains("chromium, chromium-browser, google-chrome")
                && err.contains("fonts-noto-cjk"),
            "{err}"
        );
        let err = find_browser(
            Some("no-such-browser".into()),
            Some("/nonexistent-dir".into()),
        )
        .unwrap_err();
        assert!(matches!(err, Error::ChromiumNotFound { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn the_browser_is_found_by_path_or_name() {
        let dir = temp_dir("bbcov-browser").unwrap();
        let exe = dir.join("chromium");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(
            find_browser(None, Some(dir.clone().into_os_string())).unwrap(),
            exe
        );
        assert_eq!(
            find_browser(Some(exe.clone().into_os_string()), None).unwrap(),
            exe
        );
        assert_eq!(
            find_browser(Some("chromium".into()), Some(dir.clone().into_os_string())).unwrap(),
            exe
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A fake browser: a shell script with this body.
    #[cfg(unix)]
    fn fake_browser(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let exe = dir.join("fake-chromium");
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        exe
    }

    #[cfg(unix)]
    #[test]
    fn browser_failures_are_errors() {
        let dir = temp_dir("bbcov-fake").unwrap();
        let html = dir.join("r.html");
        std::fs::write(&html, "<p>x</p>").unwrap();
        let pdf = dir.join("r.pdf");
        let options = |body: &str, secs| PdfOptions {
            browser: Some(fake_browser(&dir, body)),
            timeout: Duration::from_secs(secs),
        };

        let err = html_file_to_pdf(&html, &pdf, &options("echo 'no display' >&2; exit 3", 30))
            .unwrap_err();
        assert!(
            matches!(err, Error::ChromiumFailed { .. }) && err.to_string().contains("no display"),
            "{err}"
        );

        let err = html_file_to_pdf(&html, &pdf, &options("exec sleep 30", 1)).unwrap_err();
        assert!(matches!(err, Error::ChromiumTimeout { .. }), "{err}");

        // Exits 0 but writes no PDF.
        let err = html_file_to_pdf(&html, &pdf, &options("exit 0", 30)).unwrap_err();
        assert!(matches!(err, Error::NotAPdf { .. }), "{err}");

        let writes = r#"for a in "$@"; do case "$a" in --print-to-pdf=*) printf '%s' '%PDF-1.4' > "${a#--print-to-pdf=}";; esac; done"#;
        html_file_to_pdf(&html, &pdf, &options(writes, 30)).unwrap();
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn temp_dirs_are_fresh() {
        let a = temp_dir("bbcov-test").unwrap();
        let b = temp_dir("bbcov-test").unwrap();
        assert_ne!(a, b);
        std::fs::remove_dir(a).unwrap();
        std::fs::remove_dir(b).unwrap();
    }
}
