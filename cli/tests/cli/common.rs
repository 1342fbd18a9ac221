//! Running the binary and writing test markets.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use apex_ta::score::MarketBar;

/// `apex-ta <args>` with stdin null.
pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

/// `apex-ta <args>`, with `stdin` piped in if given.
pub fn run_with_stdin(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_apex-ta"));
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("apex-ta starts");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("piped stdin");
        std::thread::spawn(move || pipe.write_all(&bytes))
    });
    let out = child.wait_with_output().expect("apex-ta finishes");
    if let Some(w) = writer {
        w.join().expect("stdin writer").expect("stdin written");
    }
    out
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory under Cargo's test scratch space.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `YYYY-MM-DD` of a midnight timestamp.
pub fn date(ts: i64) -> String {
    let z = ts.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The built-in sample written as the four files a user would have:
/// `[IWM, SPY, QQQ, DGS2]` (Yahoo-style headers, FRED's header and `.`).
pub fn write_sample(dir: &Path, bars: &[MarketBar]) -> [PathBuf; 4] {
    let mut files = [
        String::from("Date,Open,High,Low,Close,Adj Close,Volume\n"),
        String::from("date,open,high,low,close,volume\n"),
        String::from("date,open,high,low,close,volume\n"),
        String::from("observation_date,DGS2\n"),
    ];
    for b in bars {
        let d = date(b.timestamp);
        let t = b.target;
        let _ = writeln!(
            files[0],
            "{d},{},{},{},{},{},{}",
            t.open, t.high, t.low, t.close, t.close, t.volume
        );
        let _ = writeln!(files[1], "{d},{0},{0},{0},{0},1000", b.spy);
        let _ = writeln!(files[2], "{d},{0},{0},{0},{0},1000", b.qqq);
        match b.yield_2y {
            Some(y) => writeln!(files[3], "{d},{y}").unwrap(),
            None => writeln!(files[3], "{d},.").unwrap(),
        }
    }
    let paths = ["IWM.csv", "SPY.csv", "QQQ.csv", "DGS2.csv"].map(|n| dir.join(n));
    for (p, body) in paths.iter().zip(&files) {
        std::fs::write(p, body).unwrap();
    }
    paths
}

/// `--target A --spy B --qqq C --yield D`.
pub fn market_args(paths: &[PathBuf; 4]) -> Vec<String> {
    ["--target", "--spy", "--qqq", "--yield"]
        .iter()
        .zip(paths)
        .flat_map(|(flag, p)| [(*flag).to_string(), p.display().to_string()])
        .collect()
}

/// Borrowed argument list.
pub fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
