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

/// Inputs per chunk of [`run_batch`]: the fast check of a chunk runs over data
/// still in L1 when the step reads it.
const CHUNK: usize = 256;

/// The driver behind the `batch_into` methods: feeds `inputs` in order, one
/// output per input, with the streaming error contract.
///
/// The first `warm` inputs go through `step` (the full step, warm-up
/// included), the rest through `steady`, which may assume the state is warmed
/// up: `warm` must be at least the number of inputs the state still needs
/// (an overestimate only costs speed). Both are `#[inline(always)]` fns, so
/// the loops get them inlined.
///
/// `fast_ok` is a sufficient test of an input, branch-free so the compiler
/// can vectorise it. With `PRECHECK` each chunk is first tested as a whole,
/// and a chunk that passes runs with no further checks; otherwise (or in a
/// chunk that failed) each input is tested before its step. An input that
/// fails `fast_ok` gets `exact`, the full check `update` makes (so an input
/// `fast_ok` only doubted is still accepted): the first rejected input stops
/// the run with its index; inputs before it have been consumed and written,
/// `out` from it on is untouched.
///
/// # Errors
///
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch) (index 0, nothing
/// consumed) if `out` is not one slot per input; otherwise the first rejected
/// input.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn run_batch<const PRECHECK: bool, S, I, O>(
    state: &mut S,
    inputs: &[I],
    out: &mut [O],
    fast_ok: impl Fn(&I) -> bool + Copy,
    exact: impl Fn(&I) -> Result<()> + Copy,
    warm: usize,
    step: impl Fn(&mut S, &I) -> O,
    steady: impl Fn(&mut S, &I) -> O,
) -> core::result::Result<(), BatchError> {
    if out.len() != inputs.len() {
        return Err(BatchError {
            index: 0,
            error: crate::Error::LengthMismatch {
                name: "out",
                expected: inputs.len(),
                got: out.len(),
            },
        });
    }
    let warm = warm.min(inputs.len());
    let (warm_in, steady_in) = inputs.split_at(warm);
    let (warm_out, steady_out) = out.split_at_mut(warm);
    run_chunks::<PRECHECK, _, _, _>(state, warm_in, warm_out, 0, fast_ok, exact, step)?;
    run_chunks::<PRECHECK, _, _, _>(state, steady_in, steady_out, warm, fast_ok, exact, steady)
}

/// [`run_batch`]'s loop over one phase; `offset` is the phase's first index.
#[inline]
fn run_chunks<const PRECHECK: bool, S, I, O>(
    state: &mut S,
    inputs: &[I],
    out: &mut [O],
    offset: usize,
    fast_ok: impl Fn(&I) -> bool,
    exact: impl Fn(&I) -> Result<()>,
    step: impl Fn(&mut S, &I) -> O,
) -> core::result::Result<(), BatchError> {
    for (chunk, (xs, os)) in inputs.chunks(CHUNK).zip(out.chunks_mut(CHUNK)).enumerate() {
        // A whole-chunk pass pays off where it vectorises (plain numbers); a
        // bar's test is cheaper fused into the step loop.
        if PRECHECK && xs.iter().fold(true, |ok, x| ok & fast_ok(x)) {
            for (x, o) in xs.iter().zip(os.iter_mut()) {
                *o = step(state, x);
            }
            continue;
        }
        for (i, (x, o)) in xs.iter().zip(os.iter_mut()).enumerate() {
            if !fast_ok(x) {
                exact(x).map_err(|error| BatchError {
                    index: offset + chunk * CHUNK + i,
                    error,
                })?;
            }
            *o = step(state, x);
        }
    }
    Ok(())
}

/// Whether `ind` has taken `bars` inputs, as far as its state tells:
/// its count of inputs up to its first value (`lookback + 1`, after which
/// the count stops), found by feeding a copy `input` until it is ready.
#[cfg(feature = "serde")]
pub(crate) fn taken<I: Indicator + Clone>(ind: &I, input: I::Input, bars: u64) -> bool
where
    I::Input: Copy,
{
    let full = ind.lookback().saturating_add(1);
    let mut probe = ind.clone();
    let mut left = 0;
    while !probe.is_ready() && left < full && probe.update(input).is_ok() {
        left += 1;
    }
    let seen = if probe.is_ready() { full - left } else { 0 };
    seen as u64 == bars.min(full as u64)
}
