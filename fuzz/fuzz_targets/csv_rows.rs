//! The CLI's CSV reader on arbitrary bytes: every row is `Ok` or a row
//! error with a line number, never a panic; timestamps parse or don't.
#![no_main]

#[allow(dead_code)]
#[path = "../../cli/src/csvio.rs"]
mod csvio;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last_line = 0;
    if let Ok(rows) = csvio::read_ohlcv(data) {
        for row in rows {
            let line = match row {
                Ok(r) => {
                    r.bar.validate().expect("accepted rows are valid bars");
                    let _ = csvio::parse_timestamp(&r.timestamp);
                    r.line
                }
                Err(e) => e.line,
            };
            assert!(line >= last_line, "line numbers go forward");
            last_line = line;
        }
    }
    if let Ok(rows) = csvio::read_series(data) {
        for row in rows {
            if let Ok((_, _, Some(v))) = row {
                assert!(v.is_finite());
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(ts) = csvio::parse_timestamp(text) {
            let _ = ts.checked_add(0);
        }
    }
});
