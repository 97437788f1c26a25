//! The summary table printed at the end of a run.

use bbcov_core::{AreaSummary, ServiceSummary};

/// Formats rows as an aligned text table: area, households, served, unserved, rate.
pub fn render(key: &str, rows: &[AreaSummary]) -> String {
    let header = [key, "households", "served", "unserved", "served %"].map(str::to_owned);
    let body: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.area.clone(),
                number(r.weight),
                number(r.served_weight),
                number(r.unserved_weight()),
                format!("{:.1}", 100.0 * r.served_rate()),
            ]
        })
        .collect();
    layout(header, &body)
}

/// Formats rows as a table of households by service: fiber only, radio only, both, none.
pub fn render_services(key: &str, rows: &[ServiceSummary]) -> String {
    let header = [key, "households", "fiber only", "radio only", "both", "none", "unserved %"].map(str::to_owned);
    let body: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.area.clone(),
                number(r.weight),
                number(r.fiber_only),
                number(r.radio_only),
                number(r.both),
                number(r.none),
                format!("{:.1}", 100.0 * r.unserved_rate()),
            ]
        })
        .collect();
    layout(header, &body)
}

/// Aligns a header and rows (first column left, the others right), with
/// rules under the header and above a final total row.
fn layout<const N: usize>(header: [String; N], body: &[[String; N]]) -> String {
    let width = |c: usize| std::iter::once(&header).chain(body).map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..N).map(width).collect();
    let line = |r: &[String; N]| {
        let mut s = format!("{:<w$}", r[0], w = widths[0]);
        for c in 1..N {
            s += &format!("  {:>w$}", r[c], w = widths[c]);
        }
        s.trim_end().to_owned() + "\n"
    };
    let rule = "-".repeat(widths.iter().sum::<usize>() + 2 * (N - 1)) + "\n";
    let mut out = line(&header) + &rule;
    for (i, r) in body.iter().enumerate() {
        if i + 1 == body.len() && body.len() > 1 {
            out += &rule;
        }
        out += &line(r);
    }
    out
}

/// A weight with thousands separators; decimals only when it is not whole.
fn number(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v:.2}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(999.0), "999");
        assert_eq!(number(2.5), "2.50");
    }
}
