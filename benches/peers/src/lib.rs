//! Shared data for the peer benchmark: one seeded OHLCV series, and the
//! per-library "native" views of it (built once, outside any timed loop).
//!
//! The generator is the same xorshift64 geometric random walk as
//! `apex-ta/benches/indicators.rs` (same seed), re-implemented here because
//! this package must not touch the main crate. `talib_c.py` re-implements it
//! once more, bit for bit, so the C-library figures use identical data.

/// Bars per benchmark run.
pub const N: usize = 1_000_000;

/// xorshift64 seed (same as the main crate's bench).
pub const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// One OHLCV bar, 5 × f64 = 40 bytes, same layout as `apex_ta::Bar<f64>`.
///
/// Used directly (through trait impls below) by `ta`, `yata`, and as the
/// field source for `ta-lib`/`kand` streaming, so every library's streaming
/// ATR reads its input from an array-of-structs of the same shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ohlcv {
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Volume.
    pub volume: f64,
}

/// `n` seeded realistic bars: geometric random walk, ~1.2 % daily moves
/// (close-to-close uniform in ±1.2 %), wicks up to 0.5 % beyond the body,
/// volume in [0.5e6, 1.5e6). Always valid: `low <= open, close <= high`,
/// `volume > 0`.
pub fn bars(n: usize) -> Vec<Ohlcv> {
    let mut state = SEED;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut close = 100.0_f64;
    (0..n)
        .map(|_| {
            let open = close;
            close *= 1.0 + (next() - 0.5) * 0.024;
            let high = open.max(close) * (1.0 + next() * 0.005);
            let low = open.min(close) * (1.0 - next() * 0.005);
            let volume = 1.0e6 * (0.5 + next());
            Ohlcv {
                open,
                high,
                low,
                close,
                volume,
            }
        })
        .collect()
}

/// Column (struct-of-arrays) view for the batch APIs.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Opens.
    pub open: Vec<f64>,
    /// Highs.
    pub high: Vec<f64>,
    /// Lows.
    pub low: Vec<f64>,
    /// Closes.
    pub close: Vec<f64>,
    /// Volumes.
    pub volume: Vec<f64>,
}

impl Columns {
    /// Splits bars into columns.
    pub fn from_bars(bars: &[Ohlcv]) -> Self {
        Columns {
            open: bars.iter().map(|b| b.open).collect(),
            high: bars.iter().map(|b| b.high).collect(),
            low: bars.iter().map(|b| b.low).collect(),
            close: bars.iter().map(|b| b.close).collect(),
            volume: bars.iter().map(|b| b.volume).collect(),
        }
    }
}

/// apex-ta's bar type.
pub fn apex_bars(bars: &[Ohlcv]) -> Vec<apex_ta::Bar<f64>> {
    bars.iter()
        .map(|b| apex_ta::Bar::new(b.open, b.high, b.low, b.close, b.volume))
        .collect()
}

/// wickra's candle type (validated constructor, run once here).
pub fn wickra_candles(bars: &[Ohlcv]) -> Vec<wickra::Candle> {
    bars.iter()
        .enumerate()
        .map(|(i, b)| {
            wickra::Candle::new(b.open, b.high, b.low, b.close, b.volume, i as i64)
                .unwrap_or_else(|e| panic!("generator produced an invalid bar {i}: {e}"))
        })
        .collect()
}

// `ta` 0.5 reads bars through its accessor traits.
impl ta::Open for Ohlcv {
    fn open(&self) -> f64 {
        self.open
    }
}
impl ta::High for Ohlcv {
    fn high(&self) -> f64 {
        self.high
    }
}
impl ta::Low for Ohlcv {
    fn low(&self) -> f64 {
        self.low
    }
}
impl ta::Close for Ohlcv {
    fn close(&self) -> f64 {
        self.close
    }
}
impl ta::Volume for Ohlcv {
    fn volume(&self) -> f64 {
        self.volume
    }
}

// `yata` 0.7 reads candles through its OHLCV trait.
impl yata::core::OHLCV for Ohlcv {
    fn open(&self) -> f64 {
        self.open
    }
    fn high(&self) -> f64 {
        self.high
    }
    fn low(&self) -> f64 {
        self.low
    }
    fn close(&self) -> f64 {
        self.close
    }
    fn volume(&self) -> f64 {
        self.volume
    }
}

/// Raw dump for `talib_c.py --verify`: little-endian f64, column-major
/// (all opens, then highs, lows, closes, volumes), no header.
pub fn dump_columns(cols: &Columns) -> Vec<u8> {
    let mut out = Vec::with_capacity(cols.close.len() * 5 * 8);
    for col in [&cols.open, &cols.high, &cols.low, &cols.close, &cols.volume] {
        for x in col {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    out
}
