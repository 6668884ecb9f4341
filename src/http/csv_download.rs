//! The one way the site answers a CSV file, for every export: what people
//! typed or linked to (URLs, campaign names) ends up in these files, and a
//! spreadsheet must read it as text, never as a formula.
//!
//! - every field is quoted, so a separator inside a value (`;` in a URL)
//!   cannot start a new cell, whichever separator the spreadsheet assumes;
//! - a text cell whose first non-space character is `=`, `+`, `-`, `@`, a
//!   tab or a carriage return gets a leading `'`; numbers are written as
//!   numbers, never prefixed;
//! - UTF-8 with a byte-order mark (spreadsheets need it to read accents);
//!   `;` and decimal commas by default, as French spreadsheets expect;
//! - `attachment` with its file name, `no-store`; a write error is a 500,
//!   never a truncated file.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::HttpResponse;

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("cannot write the CSV file: {0}")]
    Write(#[from] csv::Error),
    #[error("cannot finish the CSV file: {0}")]
    Finish(#[source] std::io::Error),
}

/// The separator, and with it the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Separator {
    /// `;` and decimal commas: what French spreadsheets read.
    #[default]
    Semicolon,
    /// `,` and decimal points.
    Comma,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Anything that is not a number: neutralised if a spreadsheet would
    /// read it as a formula.
    Text(String),
    /// A count.
    Count(i64),
    /// A number shown with `places` decimals, in the separator's decimal mark.
    Decimal { value: f64, places: usize },
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

/// A CSV file being written, answered by [`CsvDownload::into_response`].
pub struct CsvDownload {
    writer: csv::Writer<Vec<u8>>,
    separator: Separator,
    filename: String,
}

impl CsvDownload {
    /// A file named `filename` whose first row is `header`.
    pub fn new(
        filename: impl Into<String>,
        separator: Separator,
        header: &[&str],
    ) -> Result<Self, CsvError> {
        let writer = csv::WriterBuilder::new()
            .delimiter(match separator {
                Separator::Semicolon => b';',
                Separator::Comma => b',',
            })
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::from("\u{feff}".as_bytes()));
        let mut file = Self {
            writer,
            separator,
            filename: filename.into(),
        };
        file.row(header.iter().map(|&title| Cell::from(title)))?;
        Ok(file)
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<(), CsvError> {
        let fields: Vec<String> = cells.into_iter().map(|cell| self.field(cell)).collect();
        self.writer.write_record(&fields)?;
        Ok(())
    }

    fn field(&self, cell: Cell) -> String {
        match cell {
            Cell::Text(text) => spreadsheet_safe(text),
            Cell::Count(count) => count.to_string(),
            Cell::Decimal { value, places } => {
                let text = format!("{value:.places$}");
                match self.separator {
                    Separator::Semicolon => text.replace('.', ","),
                    Separator::Comma => text,
                }
            }
        }
    }

    pub fn into_response(self) -> Result<HttpResponse, CsvError> {
        let body = self
            .writer
            .into_inner()
            .map_err(|e| CsvError::Finish(e.into_error()))?;
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header(ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename(self.filename)],
            })
            .body(body))
    }
}

/// A text a spreadsheet would read as a formula gets a leading apostrophe.
/// Leading spaces are skipped first: spreadsheets skip them too.
fn spreadsheet_safe(text: String) -> String {
    match text.trim_start_matches(' ').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text_in_the_csv() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-1+1".into()), "'-1+1");
        assert_eq!(spreadsheet_safe("+33 1 23".into()), "'+33 1 23");
        assert_eq!(spreadsheet_safe("   =1+1".into()), "'   =1+1");
        assert_eq!(spreadsheet_safe("\t=1+1".into()), "'\t=1+1");
        assert_eq!(spreadsheet_safe("\r=1+1".into()), "'\r=1+1");
        assert_eq!(
            spreadsheet_safe("newsletter / email / hiver".into()),
            "newsletter / email / hiver"
        );
        assert_eq!(spreadsheet_safe("/services".into()), "/services");
        assert_eq!(spreadsheet_safe(String::new()), "");
    }

    fn written(separator: Separator, cells: Vec<Cell>) -> String {
        let header = ["a", "=b", "c"];
        let mut file = CsvDownload::new("x.csv", separator, &header[..cells.len()]).unwrap();
        file.row(cells).unwrap();
        String::from_utf8(file.writer.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn every_field_is_quoted_and_numbers_stay_numbers() {
        let text = written(
            Separator::Semicolon,
            vec![
                Cell::from("/a;=cmd|'/C calc'!A0;b"),
                Cell::Count(-3),
                Cell::Decimal {
                    value: -12.34,
                    places: 1,
                },
            ],
        );
        assert_eq!(
            text,
            "\u{feff}\"a\";\"'=b\";\"c\"\n\"/a;=cmd|'/C calc'!A0;b\";\"-3\";\"-12,3\"\n"
        );
        let text = written(
            Separator::Comma,
            vec![Cell::Decimal {
                value: 50.0,
                places: 1,
            }],
        );
        assert!(text.ends_with("\"50.0\"\n"), "{text}");
    }
}
