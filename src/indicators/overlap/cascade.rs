//! Chained SMA-seeded EMAs of one period: the engine of DEMA, TEMA and T3.

use alloc::vec;
use alloc::vec::Vec;

use crate::float::smooth;
use crate::window::{state_ok, Invariants};
use crate::{Float, Result};

/// `stages` EMAs of one period n, each fed the previous one's output (the
/// first is fed the input), each seeded with the mean of its first n inputs
/// as TA-Lib's `TA_EMA` is.
///
/// Stage j receives its first value at input j·(n−1) and produces from input
/// (j+1)·(n−1) on, so the input count alone says where every stage is: there
/// is no per-stage count to get out of step.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct EmaCascade<T> {
    period: usize,
    alpha: T,
    /// Inputs seen, saturating at `lookback + 1`.
    seen: usize,
    /// Per stage: the sum of its seed inputs while it warms up, then its EMA.
    stages: Vec<T>,
}
checked_deserialize!(EmaCascade<T> {
    period: usize,
    alpha: T,
    seen: usize,
    stages: Vec<T>,
});

impl<T: Float> Invariants for EmaCascade<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            self.period >= 1 && !self.stages.is_empty(),
            "EMA cascade without period or stages",
        )?;
        state_ok(
            self.alpha == ema_alpha(self.period),
            "EMA cascade alpha inconsistent with period",
        )?;
        state_ok(
            self.seen <= self.lookback().saturating_add(1),
            "EMA cascade count exceeds its warm-up",
        )?;
        state_ok(
            self.stages.iter().all(|x| x.is_finite()),
            "non-finite EMA cascade value",
        )?;
        // A stage that has not received a value yet holds exactly zero.
        state_ok(
            self.stages
                .iter()
                .enumerate()
                .all(|(j, &s)| self.seen > self.start(j) || s == T::zero()),
            "EMA cascade stage started early",
        )
    }
}

/// TA-Lib's EMA factor 2/(n+1).
pub(crate) fn ema_alpha<T: Float>(period: usize) -> T {
    T::from_f64(2.0) / T::from_usize(period.saturating_add(1))
}

impl<T: Float> EmaCascade<T> {
    /// `period >= 1` and `stages >= 1` are the caller's invariants.
    pub(crate) fn new(period: usize, stages: usize) -> Self {
        let period = period.max(1);
        EmaCascade {
            period,
            alpha: ema_alpha(period),
            seen: 0,
            stages: vec![T::zero(); stages.max(1)],
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.period
    }
    pub(crate) fn stages(&self) -> usize {
        self.stages.len()
    }
    /// The input at which stage `j` receives its first value.
    fn start(&self, j: usize) -> usize {
        j.saturating_mul(self.period - 1)
    }
    /// Inputs before the last stage's first value: stages·(n − 1).
    pub(crate) fn lookback(&self) -> usize {
        self.start(self.stages.len())
    }
    /// Whether every stage has a value.
    #[inline]
    pub(crate) fn is_ready(&self) -> bool {
        self.seen > self.lookback()
    }
    /// Stage `j`'s EMA (meaningful once that stage is seeded).
    #[inline]
    pub(crate) fn stage(&self, j: usize) -> T {
        self.stages.get(j).copied().unwrap_or_else(T::zero)
    }
    /// Feeds a finite value (the caller validates); `true` once every
    /// stage has a value.
    #[inline]
    pub(crate) fn push(&mut self, x: T) -> bool {
        let index = self.seen;
        let period = self.period;
        let keep = T::one() - self.alpha;
        // The value fed to the next stage.
        let mut value = x;
        for (j, stage) in self.stages.iter_mut().enumerate() {
            let start = j.saturating_mul(period - 1);
            if index < start {
                break;
            }
            // Values this stage has received, this one included.
            let received = index - start + 1;
            if received < period {
                *stage = *stage + value;
                break;
            }
            *stage = if received == period {
                (*stage + value) / T::from_usize(period)
            } else {
                smooth(*stage, keep, value * self.alpha)
            };
            value = *stage;
        }
        self.seen = index
            .saturating_add(1)
            .min(self.lookback().saturating_add(1));
        self.is_ready()
    }
    pub(crate) fn reset(&mut self) {
        self.seen = 0;
        self.stages.fill(T::zero());
    }
}
