//! Plain-text tables for program output: columns aligned, numbers to the
//! right, so that a reader can compare rows at a glance.

/// A table built row by row and printed with [`Table::render`].
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Self {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// The table as text, one line per row, with a rule under the header.
    /// Cells that look numeric are right-aligned, the rest left-aligned.
    pub fn render(&self) -> String {
        let cols = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0; cols];
        for row in self.rows.iter().chain([&self.header]) {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |row: &Vec<String>| {
            let cells: Vec<String> = (0..cols)
                .map(|i| {
                    let cell = row.get(i).map_or("", String::as_str);
                    if looks_numeric(cell) {
                        format!("{cell:>w$}", w = widths[i])
                    } else {
                        format!("{cell:<w$}", w = widths[i])
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        };
        let mut out = vec![line(&self.header)];
        out.push(
            widths
                .iter()
                .map(|&w| "-".repeat(w))
                .collect::<Vec<_>>()
                .join("  "),
        );
        out.extend(self.rows.iter().map(line));
        out.join("\n") + "\n"
    }
}

/// `12`, `3.5`, `1.9x`, `250 ms`, `-`, `n/a`... anything that starts with a
/// digit (or is a placeholder) reads best right-aligned.
fn looks_numeric(cell: &str) -> bool {
    cell.starts_with(|c: char| c.is_ascii_digit()) || cell == "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(["model", "req/s"]);
        t.row(["threads", "1200"]).row(["async", "98000"]);
        assert_eq!(
            t.render(),
            "model    req/s\n-------  -----\nthreads   1200\nasync    98000\n"
        );
    }
}
