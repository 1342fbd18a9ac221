//! One file per indicator (or one folder per family); everything is
//! re-exported at the crate root.

mod atr;
mod channels;
mod directional;
mod ema;
mod fibonacci;
mod flow;
mod ma;
mod macd;
mod minmax;
mod oscillators;
mod overlap;
mod relative;
mod rsi;
mod sma;
mod statistics;
mod stddev;
mod volume;
mod wilder;

pub use atr::{Atr, Natr, TrueRange};
#[allow(unused_imports)] // the families fill in one by one
pub use channels::*;
#[allow(unused_imports)]
pub use directional::*;
pub use ema::Ema;
pub use fibonacci::{
    FibonacciLevels, FibonacciOutput, Level, Levels, Swing, SwingDirection, EXTENSIONS, MAX_LEVELS,
    RETRACEMENTS,
};
#[allow(unused_imports)]
pub use flow::*;
pub use ma::{MaType, MovingAverage};
pub use macd::{Macd, MacdOutput};
pub use minmax::{RollingMax, RollingMin};
#[allow(unused_imports)]
pub use oscillators::*;
#[allow(unused_imports)]
pub use overlap::*;
pub use relative::{RelativePerformance, RelativeRatio, RelativeRatioOutput};
pub use rsi::Rsi;
pub use sma::Sma;
#[allow(unused_imports)]
pub use statistics::*;
pub use stddev::StdDev;
pub use volume::{VolumeZScore, VolumeZScoreOutput};
pub use wilder::Wilder;

pub(crate) use atr::{atr_steady, atr_step};
pub(crate) use ema::Smoother;
pub(crate) use fibonacci::swing_reading;
pub(crate) use macd::{macd_steady, macd_step, MacdParams};
pub(crate) use relative::return_spread;
pub(crate) use rsi::{rsi_steady, rsi_step};
pub(crate) use volume::ratio_to_mean;
