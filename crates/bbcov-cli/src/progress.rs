//! A terminal progress bar behind bbcov-core's [`Progress`] trait.

use bbcov_core::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Draws a progress bar on stderr when it is a terminal (and not `--quiet`).
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(quiet: bool) -> Self {
        let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        Bar(ProgressBar::with_draw_target(None, target))
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn begin(&self, stage: &str, total: u64) {
        self.0.set_style(
            ProgressStyle::with_template("{msg:>16} [{bar:40}] {human_pos}/{human_len} ({per_sec}, eta {eta})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        self.0.set_message(stage.to_owned());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}
