//! CSV input: OHLCV bars, `date,value` series and timestamps.
//!
//! Nothing here panics on any input. Problems with the file as a whole (a
//! header without a required column) are `Err(String)` from the reader
//! function; problems with one row are [`RowError`]s yielded in the row's
//! place, so a caller can report the row and carry on with the next one.
//!
//! Line numbers are 1-based physical lines of the input (the header is line 1
//! when it is the first line); a quoted field spanning several lines reports
//! the line its record starts on.

use std::collections::VecDeque;
use std::fmt;
use std::io::Read;

use apex_ta::Bar;

/// Names accepted for the timestamp column (case-insensitive, trimmed);
/// `observation_date` is the header of FRED's CSV download.
pub const TIMESTAMP_COLUMNS: [&str; 5] =
    ["date", "datetime", "time", "timestamp", "observation_date"];

/// Prefix of [`RowError::reason`] for an error reading the input itself (an
/// I/O error), after which the iterator ends. See [`RowError::is_read_error`].
pub const READ_ERROR_PREFIX: &str = "read error: ";

/// One accepted OHLCV row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based physical line number the row starts on.
    pub line: u64,
    /// The timestamp field's text (surrounding whitespace trimmed, otherwise
    /// as in the file).
    pub timestamp: String,
    /// The bar; it has passed [`Bar::validate`].
    pub bar: Bar<f64>,
}

/// A rejected row: where it is and why it was rejected.
///
/// `Display` gives `line N: <reason>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based physical line number the row starts on.
    pub line: u64,
    /// Why the row was rejected, in lower case, e.g. `missing field `volume``
    /// or `inconsistent bar: high < low (...)`.
    pub reason: String,
}

impl RowError {
    /// A rejection of the row at `line`.
    pub fn new(line: u64, reason: impl Into<String>) -> Self {
        RowError {
            line,
            reason: reason.into(),
        }
    }

    /// Whether this is an error reading the input (I/O), not a bad row. The
    /// iterator that yielded it ends after it.
    pub fn is_read_error(&self) -> bool {
        self.reason.starts_with(READ_ERROR_PREFIX)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for RowError {}

/// A header name normalised for matching: trimmed, a leading UTF-8 BOM
/// removed, lower case.
fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
}

/// The header's names for an error message, cut to 200 characters (a binary
/// file's "header" can be long).
fn found(header: &[String]) -> String {
    let all = header.join(",");
    if all.chars().count() <= 200 {
        all
    } else {
        all.chars().take(200).chain("...".chars()).collect()
    }
}

/// Index of the first column whose normalised name is one of `names`.
fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.as_str()))
}

/// The common reader: headers not trimmed by csv (we normalise them), short
/// and long rows allowed (we report them per row).
fn csv_reader<R: Read>(r: R) -> csv::Reader<LineCounter<R>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(LineCounter::new(r))
}

/// Reads the header; `Err` describes a file that cannot be read at all.
fn read_header<R: Read>(rdr: &mut csv::Reader<R>) -> Result<Vec<String>, String> {
    let header = rdr
        .byte_headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?;
    if header.is_empty() {
        return Err("the input is empty (no CSV header)".to_string());
    }
    Ok(header
        .iter()
        .map(|f| normalise(&String::from_utf8_lossy(f)))
        .collect())
}

/// A `Read` adapter that remembers where the line breaks are, so a record's
/// byte offset (which csv reports reliably) can be turned into a physical
/// line number (csv's own line count skips blank lines and mis-counts CRLF).
///
/// It keeps only the `\r`/`\n` bytes not yet passed by a query, so its memory
/// is bounded by csv's read-ahead buffer.
#[derive(Debug)]
struct LineCounter<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// Offsets and values of `\r` and `\n` bytes not yet consumed by `line_at`.
    terminators: VecDeque<(u64, u8)>,
    /// Line breaks before the first entry of `terminators`.
    breaks: u64,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf.iter().take(n).enumerate() {
            if b == b'\n' || b == b'\r' {
                self.terminators.push_back((self.read + i as u64, b));
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            read: 0,
            terminators: VecDeque::new(),
            breaks: 0,
        }
    }

    /// Removes the first terminator, counting it if it ends a line: `\n`
    /// always, `\r` unless a `\n` follows it.
    fn pop_front(&mut self) {
        if let Some((off, b)) = self.terminators.pop_front() {
            let ends_line = b == b'\n'
                || (off + 1 < self.read && self.terminators.front() != Some(&(off + 1, b'\n')));
            if ends_line {
                self.breaks += 1;
            }
        }
    }

    /// The 1-based line of the first content byte at or after `byte` (line
    /// terminators at `byte` are skipped: csv reports a record as starting
    /// right after the previous record's terminator, before blank lines).
    /// Queries must not decrease.
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.terminators.front().is_some_and(|&(off, _)| off < byte) {
            self.pop_front();
        }
        let mut content = byte;
        while self
            .terminators
            .front()
            .is_some_and(|&(off, _)| off == content)
        {
            self.pop_front();
            content += 1;
        }
        self.breaks + 1
    }
}

/// Rows of a CSV file as raw byte records with their line numbers; an I/O
/// error is yielded once and ends the iteration. A CSV-level error that is not
/// I/O (csv reports very few: invalid UTF-8 is not checked for byte records)
/// is yielded as a row error and reading continues.
struct RawRows<R> {
    rdr: csv::Reader<LineCounter<R>>,
    record: csv::ByteRecord,
    done: bool,
}

impl<R: Read> RawRows<R> {
    fn new(rdr: csv::Reader<LineCounter<R>>) -> Self {
        RawRows {
            rdr,
            record: csv::ByteRecord::new(),
            done: false,
        }
    }

    /// The physical line of a csv position.
    fn line_of(&mut self, pos: Option<&csv::Position>) -> u64 {
        let byte = pos.map_or_else(|| self.rdr.position().byte(), csv::Position::byte);
        self.rdr.get_mut().line_at(byte)
    }

    /// The next record as (line, fields), or a row error.
    fn next_row(&mut self) -> Option<Result<(u64, Vec<String>), RowError>> {
        if self.done {
            return None;
        }
        match self.rdr.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let pos = self.record.position().cloned();
                let line = self.line_of(pos.as_ref());
                let mut fields = Vec::with_capacity(self.record.len());
                for (i, f) in self.record.iter().enumerate() {
                    match std::str::from_utf8(f) {
                        Ok(s) => fields.push(s.to_string()),
                        Err(_) => {
                            return Some(Err(RowError::new(
                                line,
                                format!("field {} is not valid UTF-8", i + 1),
                            )))
                        }
                    }
                }
                Some(Ok((line, fields)))
            }
            Err(e) => {
                let line = self.line_of(e.position());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                    Some(Err(RowError::new(line, format!("{READ_ERROR_PREFIX}{e}"))))
                } else {
                    Some(Err(RowError::new(line, format!("malformed CSV: {e}"))))
                }
            }
        }
    }
}

/// Parses one numeric field; `name` is the column's normalised header name.
fn parse_number(line: u64, name: &str, field: Option<&String>) -> Result<f64, RowError> {
    let Some(text) = field else {
        return Err(RowError::new(line, format!("missing field `{name}`")));
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(RowError::new(line, format!("empty field `{name}`")));
    }
    t.parse::<f64>().map_err(|_| {
        RowError::new(
            line,
            format!("field `{name}`: cannot parse {t:?} as a number"),
        )
    })
}

/// Checks a row's field count against the header's.
fn check_width(line: u64, fields: &[String], header_len: usize) -> Result<(), RowError> {
    if fields.len() == header_len {
        Ok(())
    } else {
        Err(RowError::new(
            line,
            format!(
                "row has {} field{}, the header has {header_len}",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" }
            ),
        ))
    }
}

/// The timestamp field of a row, trimmed; an empty one is an error.
fn timestamp_field(line: u64, fields: &[String], col: usize) -> Result<String, RowError> {
    match fields.get(col).map(|s| s.trim()) {
        Some(t) if !t.is_empty() => Ok(t.to_string()),
        Some(_) => Err(RowError::new(line, "empty timestamp")),
        None => Err(RowError::new(line, "missing timestamp")),
    }
}

/// Reads an OHLCV CSV file.
///
/// The header must have a timestamp column named `date`, `datetime`, `time`
/// or `timestamp`, and columns `open`, `high`, `low`, `close`, `volume`
/// (names case-insensitive, surrounding whitespace and a UTF-8 BOM ignored,
/// any order). Other columns, such as `adj_close` or Yahoo's `Adj Close`, are
/// ignored.
///
/// Each data row becomes `Ok(Row)` or, if it is unusable, `Err(RowError)`:
/// a row whose field count differs from the header's, an empty or
/// unparsable number (`null`, `abc`), a non-finite number (`NaN`, `inf`), an
/// empty timestamp, or a bar that fails [`Bar::validate`] (inconsistent bar,
/// negative volume; the reason is the crate's error message). Blank lines are
/// skipped. An I/O error ends the iteration after one
/// [`RowError::is_read_error`] item.
///
/// The timestamp text is not parsed here; see [`parse_timestamp`].
///
/// # Errors
///
/// `Err(String)` if the header cannot be read or lacks a required column.
pub fn read_ohlcv<R: Read>(r: R) -> Result<impl Iterator<Item = Result<Row, RowError>>, String> {
    let mut rdr = csv_reader(r);
    let header = read_header(&mut rdr)?;
    let ts_col = find_column(&header, &TIMESTAMP_COLUMNS).ok_or_else(|| {
        format!(
            "the CSV header has no timestamp column (one of {}); found: {}",
            TIMESTAMP_COLUMNS.join(", "),
            found(&header)
        )
    })?;
    let mut cols = [0usize; 5];
    let names = ["open", "high", "low", "close", "volume"];
    let mut missing = Vec::new();
    for (slot, name) in cols.iter_mut().zip(names) {
        match find_column(&header, &[name]) {
            Some(i) => *slot = i,
            None => missing.push(name),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "the CSV header lacks column{} {}; found: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            found(&header)
        ));
    }
    let width = header.len();
    let mut raw = RawRows::new(rdr);
    Ok(std::iter::from_fn(move || {
        let (line, fields) = match raw.next_row()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        Some(parse_ohlcv_row(line, &fields, width, ts_col, &cols, &names))
    }))
}

fn parse_ohlcv_row(
    line: u64,
    fields: &[String],
    width: usize,
    ts_col: usize,
    cols: &[usize; 5],
    names: &[&str; 5],
) -> Result<Row, RowError> {
    if let Err(mut e) = check_width(line, fields, width) {
        let absent: Vec<String> = cols
            .iter()
            .zip(names)
            .filter(|(&c, _)| c >= fields.len())
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        if !absent.is_empty() {
            e.reason = format!("missing field {} ({})", absent.join(", "), e.reason);
        }
        return Err(e);
    }
    let timestamp = timestamp_field(line, fields, ts_col)?;
    let mut v = [0.0f64; 5];
    for ((slot, &col), name) in v.iter_mut().zip(cols).zip(names) {
        *slot = parse_number(line, name, fields.get(col))?;
    }
    let [open, high, low, close, volume] = v;
    let bar = Bar::new(open, high, low, close, volume);
    bar.validate()
        .map_err(|e| RowError::new(line, e.to_string()))?;
    Ok(Row {
        line,
        timestamp,
        bar,
    })
}

/// One row of a `date,<value>` series: `(line, timestamp text, value)`, the
/// value `None` where the file marks it missing.
pub type SeriesRow = Result<(u64, String, Option<f64>), RowError>;

/// Reads a `date,<value>` series, such as FRED's `DGS2` download (header
/// `date,dgs2` or `DATE,DGS2`).
///
/// The timestamp column is found as in [`read_ohlcv`]; the value column is
/// the first other column. Each row becomes `Ok((line, timestamp, value))`,
/// with `value` `None` for a missing value (FRED writes `.`; also an empty
/// field), or `Err(RowError)`: an unparsable or non-finite number, an empty
/// timestamp, or a field count different from the header's.
///
/// # Errors
///
/// `Err(String)` if the header cannot be read, has no timestamp column or no
/// other column.
pub fn read_series<R: Read>(r: R) -> Result<impl Iterator<Item = SeriesRow>, String> {
    let mut rdr = csv_reader(r);
    let header = read_header(&mut rdr)?;
    let ts_col = find_column(&header, &TIMESTAMP_COLUMNS).ok_or_else(|| {
        format!(
            "the CSV header has no timestamp column (one of {}); found: {}",
            TIMESTAMP_COLUMNS.join(", "),
            found(&header)
        )
    })?;
    let val_col = (0..header.len()).find(|&i| i != ts_col).ok_or_else(|| {
        format!(
            "the CSV header has no value column; found: {}",
            found(&header)
        )
    })?;
    let name = header.get(val_col).cloned().unwrap_or_default();
    let width = header.len();
    let mut raw = RawRows::new(rdr);
    Ok(std::iter::from_fn(move || {
        let (line, fields) = match raw.next_row()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        Some((|| {
            check_width(line, &fields, width)?;
            let ts = timestamp_field(line, &fields, ts_col)?;
            let text = fields.get(val_col).map_or("", |s| s.trim());
            if text.is_empty() || text == "." {
                return Ok((line, ts, None));
            }
            let v = parse_number(line, &name, fields.get(val_col))?;
            if !v.is_finite() {
                return Err(RowError::new(
                    line,
                    format!("non-finite value `{name}` = {v}"),
                ));
            }
            Ok((line, ts, Some(v)))
        })())
    }))
}

/// `(year, month, day)` of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Exactly `n` ASCII digits as a number.
fn digits(s: &str, n: usize) -> Option<i64> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Parses a timestamp to seconds since 1970-01-01 00:00:00, naive (no time
/// zone; a trailing `Z` is accepted and ignored).
///
/// Accepted, after trimming surrounding whitespace:
///
/// * `YYYY-MM-DD`
/// * `YYYY-MM-DD HH:MM`
/// * `YYYY-MM-DD HH:MM:SS`, also with `T` instead of the space, optionally
///   followed by `Z`
/// * a plain integer (epoch seconds, optionally signed)
///
/// `None` for anything else, including impossible dates (`2023-02-29`) and
/// times (`24:00`).
///
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // Plain integer: epoch seconds.
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok();
    }
    let text = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    let (date, time) = match text.find([' ', 'T', 't']) {
        Some(at) => (text.get(..at)?, Some(text.get(at + 1..)?)),
        None => (text, None),
    };
    let mut date_parts = date.split('-');
    let year = digits(date_parts.next()?, 4)?;
    let month = digits(date_parts.next()?, 2)?;
    let day = digits(date_parts.next()?, 2)?;
    if date_parts.next().is_some()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let seconds = match time {
        None => 0,
        Some(time) => {
            let mut time_parts = time.split(':');
            let hour = digits(time_parts.next()?, 2)?;
            let minute = digits(time_parts.next()?, 2)?;
            let second = match time_parts.next() {
                Some(part) => digits(part, 2)?,
                None => 0,
            };
            if time_parts.next().is_some() || hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            hour * 3600 + minute * 60 + second
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + seconds)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::float_cmp
    )]
    use super::{civil_from_days, parse_timestamp, read_ohlcv, read_series};

    #[test]
    fn civil_from_days_inverts_parse_timestamp() {
        for day in [-719_468_i64, -1, 0, 59, 11_016, 19_724, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            let text = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(parse_timestamp(&text), Some(day * 86_400), "{text}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01"), Some(0));
        assert_eq!(parse_timestamp("1970-01-02"), Some(86_400));
        assert_eq!(parse_timestamp("1969-12-31"), Some(-86_400));
        assert_eq!(parse_timestamp("2000-03-01"), Some(951_868_800));
        assert_eq!(parse_timestamp("2024-01-02 09:30"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("2024-01-02 09:30:00"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("2024-01-02T09:30:00Z"), Some(1_704_187_800));
        assert_eq!(parse_timestamp(" 2024-02-29 "), Some(1_709_164_800));
        assert_eq!(parse_timestamp("1704187800"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("-5"), Some(-5));
        for bad in [
            "",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-02",
            "24-01-02",
            "2024-01-02 24:00",
            "2024-01-02 09:60",
            "2024-01-02 09:30:60",
            "2024-01-02 9:30",
            "2024-01-02T",
            "2024/01/02",
            "abc",
            "-",
            "99999999999999999999",
            "2024-01-02 09:30:00:00",
            "२०२४-01-02",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ohlcv_rows_and_errors() {
        let csv = "\u{feff} Date ,Open,High,Low,Close,Adj Close,VOLUME\n\
                   2024-01-02,10,11,9,10.5,10.4,100\n\
                   2024-01-03,10,11,9,NaN,10.4,100\n\
                   \n\
                   2024-01-04,10,9,11,10,10,100\n\
                   2024-01-05,10,11,9,10.5,10.4\n\
                   2024-01-08,10,11,9,abc,10.4,100\n\
                   2024-01-09,10,11,9,10.5,10.4,-1\n\
                   \"2024-01-10\",10,11,9,10.5,,7\n";
        let rows: Vec<_> = read_ohlcv(csv.as_bytes()).unwrap().collect();
        assert_eq!(rows.len(), 7);
        let ok = rows[0].as_ref().unwrap();
        assert_eq!((ok.line, ok.timestamp.as_str()), (2, "2024-01-02"));
        assert_eq!(ok.bar, apex_ta::Bar::new(10.0, 11.0, 9.0, 10.5, 100.0));
        let errs: Vec<String> = rows[1..6]
            .iter()
            .map(|r| r.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            errs[0].starts_with("line 3: non-finite input `close`"),
            "{}",
            errs[0]
        );
        assert!(
            errs[1].starts_with("line 5: inconsistent bar: high < low"),
            "{}",
            errs[1]
        );
        assert!(
            errs[2].starts_with("line 6: missing field `volume`"),
            "{}",
            errs[2]
        );
        assert!(
            errs[3].starts_with("line 7: field `close`: cannot parse"),
            "{}",
            errs[3]
        );
        assert!(
            errs[4].starts_with("line 8: negative volume"),
            "{}",
            errs[4]
        );
        assert_eq!(rows[6].as_ref().unwrap().line, 9);
    }

    #[test]
    fn physical_line_numbers() {
        let lines = |csv: &str| -> Vec<u64> {
            read_ohlcv(csv.as_bytes())
                .unwrap()
                .map(|r| r.map_or_else(|e| e.line, |r| r.line))
                .collect()
        };
        let h = "date,open,high,low,close,volume";
        let r = "2024-01-02,1,2,1,1,5";
        assert_eq!(
            lines(&format!("{h}\r\n{r}\r\n\r\n{r}\r\nx\r\n{r}\r\n")),
            [2, 4, 5, 6]
        );
        assert_eq!(
            lines(&format!("\n{h}\n\n\n{r}\n\"2024-01-03\n\",1,2,1,1,5\n{r}")),
            [5, 6, 8]
        );
        assert_eq!(lines(&format!("{h}\r{r}\r\r{r}\r")), [2, 4]);
        // Many rows: line numbers stay exact across csv's read-ahead buffer.
        let mut big = format!("{h}\n");
        for i in 0..5000 {
            big.push_str(r);
            big.push_str(if i % 7 == 0 { "\r\n\n" } else { "\n" });
        }
        let got = lines(&big);
        let mut want = Vec::new();
        let mut line = 2;
        for i in 0..5000 {
            want.push(line);
            line += if i % 7 == 0 { 2 } else { 1 };
        }
        assert_eq!(got, want);
    }

    #[test]
    fn ohlcv_header_errors() {
        let e = read_ohlcv("date,open,high,low,close\n".as_bytes())
            .err()
            .unwrap();
        assert!(e.contains("volume"), "{e}");
        let e = read_ohlcv("day,open,high,low,close,volume\n".as_bytes())
            .err()
            .unwrap();
        assert!(e.contains("timestamp"), "{e}");
        assert!(read_ohlcv("".as_bytes()).is_err());
        // Header only: no rows.
        assert_eq!(
            read_ohlcv("time,open,high,low,close,volume\n".as_bytes())
                .unwrap()
                .count(),
            0
        );
        // Invalid UTF-8 in a row is a row error, not an abort.
        let mut bytes = b"date,open,high,low,close,volume\n".to_vec();
        bytes.extend_from_slice(b"2024-01-02,1,1,1,1,\xff\n2024-01-03,1,1,1,1,1\n");
        let rows: Vec<_> = read_ohlcv(&bytes[..]).unwrap().collect();
        assert!(rows[0].is_err() && rows[1].is_ok());
    }

    #[test]
    fn series() {
        let csv =
            "DATE,DGS2\n2024-01-02,4.33\n2024-01-03,.\n2024-01-04,\n2024-01-05,x\n2024-01-08,4.4\n";
        let rows: Vec<_> = read_series(csv.as_bytes()).unwrap().collect();
        assert_eq!(
            rows[0].as_ref().unwrap(),
            &(2, "2024-01-02".to_string(), Some(4.33))
        );
        // FRED's `.` and an empty field are missing values, not bad rows.
        assert_eq!(
            rows[1].as_ref().unwrap(),
            &(3, "2024-01-03".to_string(), None)
        );
        assert_eq!(rows[2].as_ref().unwrap().2, None);
        assert!(rows[3]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("line 5: field `dgs2`"));
        assert_eq!(rows[4].as_ref().unwrap().2, Some(4.4));
        assert!(read_series("date\n".as_bytes()).is_err());
        // FRED's own download header.
        let fred = "observation_date,DGS2\n2024-01-02,4.33\n";
        let rows: Vec<_> = read_series(fred.as_bytes()).unwrap().collect();
        assert_eq!(rows[0].as_ref().unwrap().2, Some(4.33));
    }
}
