//! Charts of measurements as SVG: line charts (a speed-up against threads,
//! a latency distribution) and horizontal bar charts (a thread beside a
//! task), drawn from a program's own run.
//!
//! The conventions are those of [`crate::svg`], so that every picture in
//! the book behaves alike when embedded inline in an mdBook page:
//! - text, axes and gridlines use `currentColor`, so they follow the theme
//!   (and, under forced colours, the system's text colour); series colours
//!   are the timeline's mid-tone hues, which read on light and dark pages;
//! - series differ by more than hue: lines by dash pattern and marker
//!   shape, bars by fill (solid, outline), so they stay apart in grey or
//!   under forced colours;
//! - the SVG has a `viewBox` (it scales with the page) and no blank line
//!   (which would end the HTML block in Markdown);
//! - every label comes from the caller's data, escaped, and a `note` under
//!   the chart names the machine it ran on.
//!
//! [`book`] prints a program's text output and its charts as Markdown, for
//! a book directive outside a code fence; programs offer it as `--book`,
//! and [`check_book`] says what the book needs of that output.

use crate::svg::{COLOURS, escape};
use std::fmt::Write as _;

/// How an axis maps values to positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced; the axis starts at zero when no value is negative.
    Linear,
    /// Powers of ten evenly spaced, for figures that span orders of
    /// magnitude. Values must be positive; others are not drawn.
    Log,
}

/// An axis: its label (with the unit) and its scale.
#[derive(Clone, Debug)]
pub struct Axis {
    pub label: String,
    pub scale: Scale,
}

impl Axis {
    pub fn new(label: impl Into<String>, scale: Scale) -> Self {
        Axis {
            label: label.into(),
            scale,
        }
    }
}

/// One line of a line chart: a name for the legend and its points (x, y).
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            points,
        }
    }
}

/// A vertical line across a line chart at `x`, labelled at its foot (say,
/// the number of logical CPUs).
#[derive(Clone, Debug)]
pub struct Mark {
    pub x: f64,
    pub label: String,
}

/// A line chart: several series on shared axes.
#[derive(Clone, Debug)]
pub struct Lines {
    /// The chart's heading, also its accessible name.
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    pub marks: Vec<Mark>,
    /// The line under the chart: the machine it ran on.
    pub note: String,
}

/// One row of a bar chart: its label and one value per series (`None`
/// where that series has no figure for this row).
#[derive(Clone, Debug)]
pub struct Row {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

impl Row {
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>) -> Self {
        Row {
            label: label.into(),
            values,
        }
    }
}

/// A horizontal bar chart: each row's label above its bars, one bar per
/// series, so long labels need no margin and the bars keep the width.
#[derive(Clone, Debug)]
pub struct Bars {
    pub title: String,
    /// The value axis; its label should name the unit.
    pub axis: Axis,
    /// The unit printed after each bar's value ("µs", "KiB").
    pub unit: String,
    /// The names of the series, in the order of each row's values.
    pub series: Vec<String>,
    pub rows: Vec<Row>,
    pub note: String,
}

/// The points of a latency distribution (a CDF) for a line chart: for each
/// sample, sorted, the share of samples at or below it, in per cent. Plot
/// it with the samples on a log x axis, and two runs' curves side by side
/// show where their tails part.
pub fn cdf(name: impl Into<String>, samples: &[f64]) -> Series {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let points = sorted
        .iter()
        .enumerate()
        .map(|(i, &v)| (v, (i + 1) as f64 / n * 100.0))
        .collect();
    Series::new(name, points)
}

/// Prints `text` (a program's plain output) as a code block, then each
/// chart: Markdown for a book directive outside a code fence.
///
/// The block is the HTML that a ```` ```text ```` fence renders to, not the
/// fence: the book's output check reads text between backticks as code in
/// the page, and would look for the fence's `text` there. An HTML `<pre>`
/// block may hold blank lines (Markdown ends it only at `</pre>`), so the
/// text stays as printed, escaped.
pub fn book(text: &str, charts: &[String]) -> String {
    let mut out = format!("{PRE}{}", escape(text));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("</code></pre>\n");
    for chart in charts {
        out.push('\n');
        out.push_str(chart);
    }
    out
}

/// Reads a measuring program's command line: no argument (text) or
/// `--book` (text and charts as Markdown). Anything else prints `usage`
/// and exits with status 2.
pub fn book_flag(usage: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => false,
        [a] if a == "--book" => true,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2)
        }
    }
}

/// The text of [`book`]'s output, as the program printed it: what is in
/// its code block, unescaped. `None` if there is no such block.
pub fn book_text(out: &str) -> Option<String> {
    let text = out.strip_prefix(PRE)?;
    let text = &text[..text.find("</code></pre>")?];
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// What the book needs of a program's `--book` output, as a list of
/// problems (empty when there are none): the text in a code block, then at
/// least one chart; each chart one `<svg>` with a `viewBox`, no blank line,
/// and the machine's description; and every one of `labels` (series names,
/// row labels, as the caller passes them, unescaped) in some chart.
pub fn check_book(out: &str, labels: &[&str]) -> Vec<String> {
    let mut problems = vec![];
    if !out.starts_with(PRE) {
        problems.push("the output does not open with its text in a code block".to_string());
    }
    let charts: Vec<&str> = out
        .match_indices("<svg")
        .map(|(at, _)| &out[at..at + out[at..].find("</svg>").map_or(0, |e| e + 6)])
        .collect();
    if charts.is_empty() {
        problems.push("no chart".to_string());
    }
    // The machine line the program printed first. (Not `machine::describe()`
    // here: a test built in debug mode would describe itself, not the
    // release program it ran.)
    let printed = out
        .strip_prefix(PRE)
        .and_then(|text| text.lines().next())
        .filter(|l| l.starts_with("machine: "));
    if printed.is_none() {
        problems.push("the text does not open with the machine line".to_string());
    }
    let machine = printed.unwrap_or("machine: ").to_string();
    for (i, svg) in charts.iter().enumerate() {
        if !svg.ends_with("</svg>") {
            problems.push(format!("chart {i} is not closed"));
        }
        if !svg.contains("viewBox=\"0 0 ") {
            problems.push(format!("chart {i} has no viewBox"));
        }
        if svg.lines().any(|l| l.trim().is_empty()) {
            problems.push(format!("chart {i} has a blank line"));
        }
        if !svg.contains(&machine) {
            problems.push(format!("chart {i} does not name the machine ({machine})"));
        }
    }
    for label in labels {
        if !charts.iter().any(|c| c.contains(&escape(label))) {
            problems.push(format!("no chart shows {label:?}"));
        }
    }
    problems
}

/// How [`book`] opens the text's code block.
const PRE: &str = "<pre><code class=\"language-text\">";

/// Narrower than the timelines' 720, so that on a phone (about 350 px of
/// column) the 12-unit text still renders near 10 px; `theme/course.css`
/// caps a chart's width on wide screens (the `chart` class), so the text
/// does not grow past about 15 px there.
const WIDTH: f64 = 440.0;
const LEFT: f64 = 58.0; // room for the y axis's tick labels
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0; // room for the title
const PLOT_H: f64 = 240.0;
const LEGEND_ROW: f64 = 18.0;
/// Line styles: dash patterns and markers, so series differ without hue.
const DASHES: [&str; 4] = ["", "7 4", "2 3", "10 3 2 3"];

/// A mapping from values to positions along one axis.
#[derive(Clone, Copy, Debug)]
struct Map {
    scale: Scale,
    lo: f64,
    hi: f64,
}

impl Map {
    /// The axis's domain for `values`: round ends, from zero for linear
    /// scales of non-negative data, whole decades for log scales.
    fn fit(scale: Scale, values: impl Iterator<Item = f64>) -> Map {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0)) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if lo > hi {
            (lo, hi) = (1.0, 1.0); // no data: any sane axis
        }
        match scale {
            Scale::Linear => {
                let lo = lo.min(0.0);
                let hi = if hi <= lo { lo + 1.0 } else { hi };
                let step = nice_step(hi - lo, 5.0);
                Map {
                    scale,
                    lo: (lo / step).floor() * step,
                    hi: (hi / step).ceil() * step,
                }
            }
            Scale::Log => {
                let lo = 10f64.powf(lo.log10().floor());
                let mut hi = 10f64.powf(hi.log10().ceil());
                if hi <= lo {
                    hi = lo * 10.0;
                }
                Map { scale, lo, hi }
            }
        }
    }

    /// Where `v` falls, from 0 (the low end) to 1 (the high end).
    fn frac(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10()),
        }
    }

    /// Whether `v` can be drawn on this axis.
    fn shows(&self, v: f64) -> bool {
        v.is_finite() && (self.scale == Scale::Linear || v > 0.0)
    }

    /// The tick values: round steps for linear scales; each power of ten
    /// for log scales, with 2 and 5 between them when there are few.
    fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Linear => {
                let step = nice_step(self.hi - self.lo, 5.0);
                let n = ((self.hi - self.lo) / step).round() as usize;
                (0..=n).map(|i| self.lo + i as f64 * step).collect()
            }
            Scale::Log => {
                let decades = (self.hi / self.lo).log10().round() as i32;
                let between: &[f64] = if decades <= 2 {
                    &[1.0, 2.0, 5.0]
                } else {
                    &[1.0]
                };
                let mut ticks = vec![];
                for d in 0..=decades {
                    let p = self.lo * 10f64.powi(d);
                    for m in between {
                        if m * p <= self.hi * 1.000_001 {
                            ticks.push(m * p);
                        }
                    }
                }
                ticks
            }
        }
    }
}

/// A round step (1, 2 or 5 times a power of ten) that cuts `range` into
/// about `target` steps, and no more.
pub(crate) fn nice_step(range: f64, target: f64) -> f64 {
    let raw = range / target;
    let pow = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw * 0.999_999)
        .unwrap_or(10.0 * pow)
}

/// A number as a tick label or a bar's value: three significant digits at
/// most, no trailing zeros, no exponent.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The whole SVG: the opening with its title and heading, the `body`
/// drawn so far, and the `note` (the machine) at `y`, below everything.
fn finish(title: &str, body: &str, note: &str, y: f64) -> String {
    let t = escape(title);
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {:.0}\" width=\"100%\" class=\"chart\" role=\"img\" aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\" fill=\"currentColor\">\n<title>{t}</title>\n<text x=\"4\" y=\"18\" font-weight=\"bold\">{t}</text>\n{body}<text x=\"4\" y=\"{:.1}\" opacity=\"0.8\">{}</text>\n</svg>\n",
        y + 12.0,
        y + 4.0,
        escape(note)
    );
    debug_assert!(
        !svg.contains("\n\n"),
        "a blank line would end the HTML block"
    );
    svg
}

/// A marker of shape `i` (circle, square, triangle, diamond) at (x, y).
fn marker(i: usize, x: f64, y: f64, colour: &str) -> String {
    match i % 4 {
        0 => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{colour}"/>"#),
        1 => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{colour}"/>"#,
            x - 3.5,
            y - 3.5
        ),
        2 => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}"/>"#,
            y - 4.5,
            x + 4.0,
            y + 3.0,
            x - 4.0,
            y + 3.0
        ),
        _ => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="{colour}"/>"#,
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    }
}

/// Draws a line chart: axes with ticks, one line per series (with markers
/// at the measured points), the marks, a legend and the note.
pub fn lines(chart: &Lines) -> String {
    let points = || chart.series.iter().flat_map(|s| &s.points);
    let xm = Map::fit(
        chart.x.scale,
        points().map(|p| p.0).chain(chart.marks.iter().map(|m| m.x)),
    );
    let ym = Map::fit(chart.y.scale, points().map(|p| p.1));
    let plot_w = WIDTH - LEFT - RIGHT;
    let bottom = TOP + PLOT_H;
    let px = |v: f64| LEFT + xm.frac(v) * plot_w;
    let py = |v: f64| bottom - ym.frac(v) * PLOT_H;
    let mut body = String::new();

    // Gridlines and tick labels, then the axes over them.
    for t in ym.ticks() {
        let y = py(t);
        let _ = writeln!(
            body,
            r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="currentColor" stroke-opacity="0.2"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            number(t)
        );
    }
    for t in xm.ticks() {
        let x = px(t);
        let _ = writeln!(
            body,
            r#"<line x1="{x:.1}" y1="{bottom}" x2="{x:.1}" y2="{:.1}" stroke="currentColor"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            bottom + 5.0,
            bottom + 18.0,
            number(t)
        );
    }
    let _ = writeln!(
        body,
        r#"<path d="M{LEFT} {TOP}V{bottom}H{:.1}" fill="none" stroke="currentColor"/>"#,
        WIDTH - RIGHT
    );
    let _ = writeln!(
        body,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        LEFT + plot_w / 2.0,
        bottom + 34.0,
        escape(&chart.x.label)
    );
    let _ = writeln!(
        body,
        r#"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        TOP + PLOT_H / 2.0,
        escape(&chart.y.label)
    );
    for m in chart.marks.iter().filter(|m| xm.shows(m.x)) {
        let x = px(m.x);
        let _ = writeln!(
            body,
            r#"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{bottom}" stroke="currentColor" stroke-dasharray="1 3"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            x + 4.0,
            bottom - 6.0,
            escape(&m.label)
        );
    }
    for (i, s) in chart.series.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .filter(|p| xm.shows(p.0) && ym.shows(p.1))
            .map(|&(x, y)| (px(x), py(y)))
            .collect();
        let d: String = pts
            .iter()
            .enumerate()
            .map(|(k, (x, y))| format!("{}{x:.1} {y:.1}", if k == 0 { 'M' } else { 'L' }))
            .collect();
        let dash = DASHES[i % DASHES.len()];
        let _ = writeln!(
            body,
            r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="2" stroke-dasharray="{dash}"><title>{}</title></path>"#,
            escape(&s.name)
        );
        // Markers only where the points are few enough to tell apart: a
        // distribution of thousands of samples is a curve, not dots.
        if pts.len() <= 40 {
            for &(x, y) in &pts {
                body.push_str(&marker(i, x, y, c));
            }
            body.push('\n');
        }
    }
    // The legend, one series a row: its line, its marker, its name.
    let mut y = bottom + 56.0;
    for (i, s) in chart.series.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let _ = writeln!(
            body,
            r#"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{c}" stroke-width="2" stroke-dasharray="{}"/>{}<text x="{:.1}" y="{y:.1}">{}</text>"#,
            y - 4.0,
            LEFT + 30.0,
            y - 4.0,
            DASHES[i % DASHES.len()],
            marker(i, LEFT + 15.0, y - 4.0, c),
            LEFT + 38.0,
            escape(&s.name)
        );
        y += LEGEND_ROW;
    }
    finish(&chart.title, &body, &chart.note, y)
}

const BAR_H: f64 = 14.0;
const ROW_LABEL_H: f64 = 18.0;
const ROW_GAP: f64 = 10.0;
/// Room to the right of the longest bar for its value.
const VALUE_W: f64 = 84.0;

/// Draws a horizontal bar chart: per row, its label, then one bar per
/// series with its value at the end; a value axis below; a legend and the
/// note.
pub fn bars(chart: &Bars) -> String {
    let values = || {
        chart
            .rows
            .iter()
            .flat_map(|r| r.values.iter().flatten().copied())
    };
    let map = Map::fit(chart.axis.scale, values());
    let left = 14.0; // room for half the first tick's label
    let plot_w = WIDTH - left - RIGHT - VALUE_W;
    let px = |v: f64| left + map.frac(v).clamp(0.0, 1.0) * plot_w;
    let mut body = String::new();
    let mut y = TOP + 6.0;
    for row in &chart.rows {
        let _ = writeln!(
            body,
            r#"<text x="{left}" y="{:.1}">{}</text>"#,
            y + 13.0,
            escape(&row.label)
        );
        y += ROW_LABEL_H;
        for (i, value) in row.values.iter().enumerate() {
            let c = COLOURS[i % COLOURS.len()];
            let name = chart.series.get(i).map_or("", String::as_str);
            match value {
                Some(v) if map.shows(*v) => {
                    let w = (px(*v) - left).max(1.0);
                    let _ = writeln!(
                        body,
                        r#"<rect x="{left}" y="{y:.1}" width="{w:.1}" height="{BAR_H}" {}><title>{}: {} {}</title></rect><text x="{:.1}" y="{:.1}">{} {}</text>"#,
                        bar_style(i, c),
                        escape(name),
                        number(*v),
                        escape(&chart.unit),
                        left + w + 4.0,
                        y + 11.0,
                        number(*v),
                        escape(&chart.unit)
                    );
                }
                _ => {
                    let _ = writeln!(
                        body,
                        r#"<text x="{left}" y="{:.1}" opacity="0.8">{}: not measured</text>"#,
                        y + 11.0,
                        escape(name)
                    );
                }
            }
            y += BAR_H + 2.0;
        }
        y += ROW_GAP;
    }
    // The value axis under the rows, with gridlines up through them.
    let top = TOP + 6.0;
    for t in map.ticks() {
        let x = px(t);
        let _ = writeln!(
            body,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="currentColor" stroke-opacity="0.2"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y + 5.0,
            y + 18.0,
            number(t)
        );
    }
    let _ = writeln!(
        body,
        r#"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="currentColor"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        left + plot_w,
        left + plot_w / 2.0,
        y + 34.0,
        escape(&chart.axis.label)
    );
    y += 56.0;
    if chart.series.len() > 1 {
        for (i, name) in chart.series.iter().enumerate() {
            let c = COLOURS[i % COLOURS.len()];
            let _ = writeln!(
                body,
                r#"<rect x="{left}" y="{:.1}" width="24" height="12" {}/><text x="{:.1}" y="{y:.1}">{}</text>"#,
                y - 10.0,
                bar_style(i, c),
                left + 30.0,
                escape(name)
            );
            y += LEGEND_ROW;
        }
    }
    finish(&chart.title, &body, &chart.note, y)
}

/// Series alternate between solid bars and outlined ones, so that two
/// series differ without hue.
fn bar_style(i: usize, c: &str) -> String {
    if i % 2 == 0 {
        format!(r#"fill="{c}""#)
    } else {
        format!(r#"fill="{c}" fill-opacity="0.15" stroke="{c}" stroke-width="2""#)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speed_up() -> Lines {
        Lines {
            title: "speed-up <measured>".into(),
            x: Axis::new("threads", Scale::Linear),
            y: Axis::new("speed-up (x)", Scale::Linear),
            series: vec![
                Series::new("measured", vec![(1.0, 1.0), (2.0, 1.8), (4.0, 1.9)]),
                Series::new("Amdahl & co", vec![(1.0, 1.0), (2.0, 1.9), (4.0, 1.9)]),
            ],
            marks: vec![Mark {
                x: 2.0,
                label: "2 logical CPUs".into(),
            }],
            note: "machine: 2 cores".into(),
        }
    }

    fn well_formed(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(svg.contains(&format!(r#"viewBox="0 0 {WIDTH} "#)));
        assert!(
            !svg.lines().any(|l| l.trim().is_empty()),
            "no blank line: {svg}"
        );
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn a_line_chart_names_every_series_the_marks_and_the_machine() {
        let svg = lines(&speed_up());
        well_formed(&svg);
        for s in [
            "measured",
            "Amdahl &amp; co",
            "2 logical CPUs",
            "machine: 2 cores",
        ] {
            assert!(svg.contains(s), "{s} missing");
        }
        // Labels are escaped: no raw `<` or `&` from the data.
        assert!(svg.contains("speed-up &lt;measured&gt;"));
        assert!(!svg.contains("<measured>") && !svg.contains("Amdahl & co"));
        // Each series is one path, and its three points have markers.
        assert_eq!(svg.matches("<path d=\"M").count(), 2 + 1);
        assert_eq!(svg.matches("<circle").count(), 3 + 1);
    }

    #[test]
    fn a_bar_chart_draws_each_value_and_says_what_is_missing() {
        let svg = bars(&Bars {
            title: "spawn".into(),
            axis: Axis::new("per unit (µs)", Scale::Log),
            unit: "µs".into(),
            series: vec!["time".into(), "memory".into()],
            rows: vec![
                Row {
                    label: "OS thread".into(),
                    values: vec![Some(99.3), None],
                },
                Row {
                    label: "tokio task".into(),
                    values: vec![Some(0.81), Some(2.0)],
                },
            ],
            note: "machine: test".into(),
        });
        well_formed(&svg);
        for s in [
            "OS thread",
            "tokio task",
            "99.3 µs",
            "0.81 µs",
            "time",
            "memory",
            "machine: test",
        ] {
            assert!(svg.contains(s), "{s} missing");
        }
        assert!(svg.contains("memory: not measured"));
        // Three bars and two legend swatches.
        assert_eq!(svg.matches("<rect").count(), 3 + 2);
    }

    #[test]
    fn log_scales_span_whole_decades() {
        let m = Map::fit(Scale::Log, [0.81, 99.3].into_iter());
        assert_eq!((m.lo, m.hi), (0.1, 100.0));
        assert_eq!(m.ticks().len(), 4);
        assert!((m.frac(1.0) - 1.0 / 3.0).abs() < 1e-9);
        // Within two decades, 2 and 5 are ticked too.
        let m = Map::fit(Scale::Log, [3.0, 40.0].into_iter());
        let ticks: Vec<String> = m.ticks().into_iter().map(number).collect();
        assert_eq!(ticks, ["1", "2", "5", "10", "20", "50", "100"]);
        // Values that a log axis cannot show are left out, not drawn at -inf.
        let m = Map::fit(Scale::Log, [0.0, -1.0, 5.0].into_iter());
        assert!(!m.shows(0.0) && m.shows(5.0));
    }

    #[test]
    fn linear_scales_start_at_zero_with_round_ticks() {
        let m = Map::fit(Scale::Linear, [1.0, 1.93].into_iter());
        assert_eq!(m.lo, 0.0);
        assert_eq!(
            m.ticks().iter().map(|t| number(*t)).collect::<Vec<_>>(),
            ["0", "0.5", "1", "1.5", "2"]
        );
        assert_eq!(nice_step(400.0, 8.0), 50.0);
        assert_eq!(nice_step(1000.0, 8.0), 200.0);
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(99.27), "99.3");
        assert_eq!(number(0.812), "0.812");
        assert_eq!(number(2060.1), "2060");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.1), "0.1");
    }

    #[test]
    fn a_cdf_rises_to_one_hundred_per_cent() {
        let s = cdf("open loop", &[3.0, 1.0, 2.0, 4.0]);
        assert_eq!(s.points.first(), Some(&(1.0, 25.0)));
        assert_eq!(s.points.last(), Some(&(4.0, 100.0)));
        assert!(s.points.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn book_output_fences_the_text_and_leaves_the_charts_outside() {
        let mut chart = speed_up();
        chart.note = crate::machine::describe();
        let text = format!("{}\na table", chart.note);
        let out = book(&text, &[lines(&chart)]);
        assert!(out.starts_with(&format!(
            "{PRE}{}\na table\n</code></pre>\n\n<svg ",
            chart.note
        )));
        assert_eq!(check_book(&out, &["Amdahl & co"]), Vec::<String>::new());
        // The check fails on what the book could not use.
        assert_eq!(
            check_book(&book("t", &[]), &[]),
            ["no chart", "the text does not open with the machine line"]
        );
        // A chart that names another machine than the run printed.
        let other = book("machine: 64 logical CPUs\nt", &[lines(&chart)]);
        assert_eq!(
            check_book(&other, &[]).len(),
            1,
            "the machine the run printed"
        );
        assert!(
            book("a < b", &[]).contains("a &lt; b"),
            "the text is escaped"
        );
        let unnamed = book(&text, &[lines(&speed_up())]);
        assert_eq!(
            check_book(&unnamed, &["nobody"]).len(),
            2,
            "machine and label"
        );
        let broken = out.replace("<title>", "\n\n<title>");
        assert!(!check_book(&broken, &[]).is_empty());
    }
}
