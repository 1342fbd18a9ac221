//! The [`Indicator`] trait: one streaming interface for every indicator.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::error::BatchError;
use crate::Result;

/// A streaming indicator: feed one input at a time, get a value once warmed up.
///
/// The contract every indicator in this crate keeps:
///
/// * `update` returns `Ok(None)` for the first [`lookback`](Indicator::lookback)
///   inputs (the warm-up) and `Ok(Some(_))` after, matching TA-Lib's first
///   output index.
/// * On `Err`, the state is exactly as before the call: a rejected input is
///   as if it had never been fed.
/// * `update` does not allocate; buffers are sized once in the constructor.
/// * The trait is object-safe: `Box<dyn Indicator<Input = f64, Output = f64>>`
///   works, and so do `&mut I` and `Box<I>`.
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Rsi, Sma};
/// # fn main() -> apex_ta::Result<()> {
/// let mut boxed: Vec<Box<dyn Indicator<Input = f64, Output = f64>>> =
///     vec![Box::new(Sma::new(3)?), Box::new(Rsi::new(3)?)];
/// for x in [1.0, 2.0, 3.0, 2.0, 4.0] {
///     for ind in boxed.iter_mut() {
///         ind.update(x)?;
///     }
/// }
/// assert!(boxed.iter().all(|i| i.is_ready()));
/// # Ok(())
/// # }
/// ```
pub trait Indicator {
    /// What one update consumes (a close, a [`Bar`](crate::Bar), a pair, …).
    type Input;
    /// What one update produces once warmed up.
    type Output;

    /// Feeds one input. `Ok(None)` while warming up.
    ///
    /// # Errors
    ///
    /// A non-finite or otherwise invalid input; the state is then unchanged.
    fn update(&mut self, input: Self::Input) -> Result<Option<Self::Output>>;

    /// Back to the freshly constructed state (same parameters).
    fn reset(&mut self);

    /// Inputs consumed before the first `Some` (TA-Lib's "lookback").
    fn lookback(&self) -> usize;

    /// Whether the last accepted `update` produced a value.
    fn is_ready(&self) -> bool;

    /// Runs the indicator over a slice, returning one entry per input
    /// (`None` during warm-up), exactly the values streaming would give.
    ///
    /// Continues from the current state; call [`reset`](Indicator::reset)
    /// first for a fresh run.
    ///
    /// # Errors
    ///
    /// The first rejected input, with its index. Inputs before it have been
    /// consumed.
    fn batch(&mut self, inputs: &[Self::Input]) -> Result<Vec<Option<Self::Output>>, BatchError>
    where
        Self: Sized,
        Self::Input: Clone,
    {
        let mut out = Vec::with_capacity(inputs.len());
        for (index, x) in inputs.iter().enumerate() {
            out.push(
                self.update(x.clone())
                    .map_err(|error| BatchError { index, error })?,
            );
        }
        Ok(out)
    }
}

impl<I: Indicator + ?Sized> Indicator for &mut I {
    type Input = I::Input;
    type Output = I::Output;
    #[inline]
    fn update(&mut self, input: Self::Input) -> Result<Option<Self::Output>> {
        (**self).update(input)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn lookback(&self) -> usize {
        (**self).lookback()
    }
    fn is_ready(&self) -> bool {
        (**self).is_ready()
    }
}

impl<I: Indicator + ?Sized> Indicator for Box<I> {
    type Input = I::Input;
    type Output = I::Output;
    #[inline]
    fn update(&mut self, input: Self::Input) -> Result<Option<Self::Output>> {
        (**self).update(input)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn lookback(&self) -> usize {
        (**self).lookback()
    }
    fn is_ready(&self) -> bool {
        (**self).is_ready()
    }
}
