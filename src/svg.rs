//! Timeline pictures as SVG, for `timeline` (Part I): which job ran on which
//! OS thread, and when. The drawing code lives here so that the example shows
//! only how the jobs run and how their spans are recorded.
//!
//! The SVG is meant to be embedded inline in an mdBook page, as raw HTML:
//! - text and axes use `currentColor`, so they follow the reader's theme
//!   (light or dark); job colours are mid-tone hues that read on both;
//! - it has a `viewBox`, so it scales with the page;
//! - it contains no blank line, which would end the HTML block in Markdown.

use std::fmt::Write as _;

/// What a job was doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    /// Computing (drawn filled). The span is wall-clock time: a thread
    /// that the OS paused to let another run still shows as computing.
    Running,
    /// Waiting for something outside the thread, such as I/O or a timer
    /// (drawn as an outline).
    Waiting,
}

/// One stretch of one job's life, in milliseconds since the panel's start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub job: usize,
    pub start_ms: f64,
    pub end_ms: f64,
    pub activity: Activity,
}

/// One row of a panel: an OS thread, or (for waits) a job's own row.
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub label: String,
    pub spans: Vec<Span>,
}

/// One way of running the jobs: a title and its lanes.
#[derive(Clone, Debug, Default)]
pub struct Panel {
    pub title: String,
    pub lanes: Vec<Lane>,
}

/// Job colours: distinguishable, dark enough that the white job labels on
/// the bars reach a contrast of 4.5:1, and the bars themselves 3:1 against
/// the dark themes' backgrounds.
pub(crate) const COLOURS: [&str; 6] = [
    "#4e79a7", "#b35c12", "#3b7d35", "#c0393b", "#8e5a83", "#3f7f7a",
];

const WIDTH: f64 = 720.0;
const LEFT: f64 = 110.0; // room for lane labels
const RIGHT: f64 = 20.0;
const LANE_H: f64 = 22.0;
const LANE_GAP: f64 = 6.0;
const TITLE_H: f64 = 26.0;
const PANEL_GAP: f64 = 14.0;
const AXIS_H: f64 = 34.0;

/// Draws `panels` one above the other on a shared time axis (ms), with a
/// legend naming `jobs` and a `note` under the axis (say, the machine).
/// `title` becomes the SVG's accessible name.
pub fn render(title: &str, jobs: &[&str], panels: &[Panel], note: &str) -> String {
    let end_ms = panels
        .iter()
        .flat_map(|p| &p.lanes)
        .flat_map(|l| &l.spans)
        .map(|s| s.end_ms)
        .fold(1.0_f64, f64::max);
    let step = tick_step(end_ms);
    let axis_end = (end_ms / step).ceil() * step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |ms: f64| LEFT + ms / axis_end * plot_w;

    let mut body = String::new();
    let mut y = 28.0; // below the legend
    // Legend: one swatch per job, and what filled and outlined mean.
    let mut lx = LEFT;
    for (i, job) in jobs.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let _ = writeln!(
            body,
            r#"<rect x="{lx:.1}" y="8" width="12" height="12" fill="{c}"/><text x="{:.1}" y="18">job {job}</text>"#,
            lx + 16.0
        );
        lx += 70.0;
    }
    let _ = writeln!(
        body,
        r#"<text x="{:.1}" y="18" opacity="0.8">filled: computing; outline: waiting</text>"#,
        lx + 10.0
    );
    for panel in panels {
        let _ = writeln!(
            body,
            r#"<text x="4" y="{:.1}" font-weight="bold">{}</text>"#,
            y + 17.0,
            escape(&panel.title)
        );
        y += TITLE_H;
        for lane in &panel.lanes {
            let _ = writeln!(
                body,
                r#"<text x="4" y="{:.1}">{}</text><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="currentColor" stroke-opacity="0.25"/>"#,
                y + 15.0,
                escape(&lane.label),
                y + LANE_H / 2.0,
                WIDTH - RIGHT,
                y + LANE_H / 2.0
            );
            for s in &lane.spans {
                let c = COLOURS[s.job % COLOURS.len()];
                let (x0, x1) = (x(s.start_ms), x(s.end_ms));
                let w = (x1 - x0).max(1.0);
                let style = match s.activity {
                    Activity::Running => format!(r#"fill="{c}""#),
                    Activity::Waiting => {
                        format!(r#"fill="{c}" fill-opacity="0.15" stroke="{c}" stroke-width="2""#)
                    }
                };
                let _ = writeln!(
                    body,
                    r#"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" {style}><title>job {}: {:.1}–{:.1} ms</title></rect>"#,
                    y + 2.0,
                    LANE_H - 4.0,
                    jobs.get(s.job).copied().unwrap_or("?"),
                    s.start_ms,
                    s.end_ms
                );
                // Label a bar with its job when there is room for the letter.
                if w >= 12.0 {
                    // White on a filled bar; the page's own colour on an outline.
                    let ink = match s.activity {
                        Activity::Running => "#fff",
                        Activity::Waiting => "currentColor",
                    };
                    let _ = writeln!(
                        body,
                        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}" font-size="11">{}</text>"#,
                        x0 + w / 2.0,
                        y + 15.0,
                        escape(jobs.get(s.job).copied().unwrap_or("?"))
                    );
                }
            }
            y += LANE_H + LANE_GAP;
        }
        y += PANEL_GAP;
    }
    // The time axis, shared by every panel.
    let _ = writeln!(
        body,
        r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="currentColor"/>"#,
        WIDTH - RIGHT
    );
    let mut t = 0.0;
    while t <= axis_end + step / 2.0 {
        let tx = x(t);
        let _ = writeln!(
            body,
            r#"<line x1="{tx:.1}" y1="{y:.1}" x2="{tx:.1}" y2="{:.1}" stroke="currentColor"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle">{t:.0}</text>"#,
            y + 5.0,
            y + 18.0
        );
        t += step;
    }
    let _ = writeln!(
        body,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end">time since start (ms)</text>"#,
        WIDTH - RIGHT,
        y + 32.0
    );
    let _ = writeln!(
        body,
        r#"<text x="4" y="{:.1}" opacity="0.8">{}</text>"#,
        y + 32.0,
        escape(note)
    );
    let height = y + AXIS_H + 4.0;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-label="{}" font-family="sans-serif" font-size="12" fill="currentColor">"#,
        escape(title)
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    debug_assert!(
        !svg.contains("\n\n"),
        "a blank line would end the HTML block"
    );
    svg
}

/// A round tick spacing giving 5 to 10 ticks up to `end_ms`.
fn tick_step(end_ms: f64) -> f64 {
    crate::chart::nice_step(end_ms, 8.0)
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_svg_with_a_viewbox_and_no_blank_line() {
        let panel = Panel {
            title: "a & b".into(),
            lanes: vec![Lane {
                label: "thread 1".into(),
                spans: vec![Span {
                    job: 0,
                    start_ms: 0.0,
                    end_ms: 50.0,
                    activity: Activity::Running,
                }],
            }],
        };
        let svg = render("test", &["A"], &[panel], "note");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("viewBox=\"0 0 720 "));
        assert!(svg.contains("a &amp; b"));
        assert!(!svg.contains("\n\n"));
    }

    #[test]
    fn round_ticks() {
        assert_eq!(tick_step(400.0), 50.0);
        assert_eq!(tick_step(75.0), 10.0);
        assert_eq!(tick_step(1000.0), 200.0);
    }
}
