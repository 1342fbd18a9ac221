//! One file per indicator; everything is re-exported at the crate root.

mod atr;
mod ema;
mod fibonacci;
mod macd;
mod minmax;
mod relative;
mod rsi;
mod sma;
mod stddev;
mod volume;
mod wilder;

pub use atr::{Atr, Natr, TrueRange};
pub use ema::Ema;
pub use fibonacci::{
    FibonacciLevels, FibonacciOutput, Level, Levels, Swing, SwingDirection, EXTENSIONS, MAX_LEVELS,
    RETRACEMENTS,
};
pub use macd::{Macd, MacdOutput};
pub use minmax::{RollingMax, RollingMin};
pub use relative::{RelativePerformance, RelativeRatio, RelativeRatioOutput};
pub use rsi::Rsi;
pub use sma::Sma;
pub use stddev::StdDev;
pub use volume::{VolumeZScore, VolumeZScoreOutput};
pub use wilder::Wilder;

pub(crate) use atr::{atr_steady, atr_step};
pub(crate) use ema::Smoother;
pub(crate) use macd::{macd_steady, macd_step, MacdParams};
pub(crate) use rsi::{rsi_steady, rsi_step};
