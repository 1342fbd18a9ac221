//! Parabolic SAR.

use core::fmt;

use crate::window::{state_ok, Invariants};
use crate::{Bar, Error, Float, Indicator, Result};

/// Wilder's parabolic SAR ("stop and reverse"), TA-Lib's `SAR`.
///
/// A trailing stop that follows the trend: below the lows while long,
/// above the highs while short, accelerating towards the trend's extreme
/// point as the trend extends, and flipping side when price crosses it.
/// Same units as the prices.
///
/// # Formula
///
/// ```text
/// step = min(acceleration, maximum)        (TA-Lib lowers the step to the cap)
/// each bar, with the SAR computed at the previous bar:
///   long and low ≤ SAR:   flip short; SAR = max(EP, previous high, high);
///                         AF = step; EP = low
///   short and high ≥ SAR: flip long;  SAR = min(EP, previous low, low);
///                         AF = step; EP = high
///   otherwise (long):     if high > EP { EP = high; AF = min(AF + step, maximum) }
///   otherwise (short):    if low < EP  { EP = low;  AF = min(AF + step, maximum) }
///   output SAR; then for the next bar
///   SAR = SAR + AF · (EP − SAR), kept beyond this and the previous bar's
///         range: at most both lows while long, at least both highs while short
/// ```
///
/// # Warm-up
///
/// Lookback 1: the first bar only sets the start.
///
/// **TA-Lib's start (matched):** the trade is short if the second bar's −DM
/// (previous low − low) is positive and larger than its +DM (high −
/// previous high), long otherwise (ties go long). Long starts with SAR = the
/// first bar's low and EP = the second bar's high; short with SAR = the
/// first bar's high and EP = the second bar's low. At the second bar the
/// "previous bar" of the rules is the second bar itself. An `acceleration`
/// above `maximum` is lowered to it.
///
/// # Parameters
///
/// * `acceleration` ≥ 0, the AF step (default 0.02, as TA-Lib).
/// * `maximum` ≥ 0, the AF cap (default 0.2, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Sar};
/// # fn main() -> apex_ta::Result<()> {
/// let mut sar = Sar::new(0.02, 0.2)?;
/// let bar = |h: f64, l: f64| Bar::new(l, h, l, h, 0.0);
/// assert_eq!(sar.update(bar(10.0, 9.0))?, None);
/// // Rising bar: long, the SAR starts at the first bar's low.
/// assert_eq!(sar.update(bar(11.0, 9.5))?, Some(9.0));
/// // Then it moves 2% of the way to the extreme point (11), within the lows.
/// assert_eq!(sar.update(bar(12.0, 10.5))?, Some(9.0 + 0.02 * (11.0 - 9.0)));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a negative or non-finite `acceleration` or `maximum`;
/// `update` rejects a non-finite or inconsistent bar ([`Bar::validate`]),
/// state unchanged.
///
/// # References
///
/// J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978);
/// TA-Lib `TA_SAR`.
#[doc(alias = "SAR")]
#[doc(alias = "PSAR")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sar<T = f64> {
    acceleration: T,
    maximum: T,
    /// min(acceleration, maximum): the AF's start and increment.
    step: T,
    /// Bars seen, saturating at 2.
    seen: u8,
    /// The last bar's high and low.
    prev_high: T,
    prev_low: T,
    long: bool,
    af: T,
    /// Extreme point of the current trade.
    ep: T,
    /// The SAR for the next bar.
    next: T,
}
checked_deserialize!(Sar<T> {
    acceleration: T,
    maximum: T,
    step: T,
    seen: u8,
    prev_high: T,
    prev_low: T,
    long: bool,
    af: T,
    ep: T,
    next: T,
});

impl<T: Float> Invariants for Sar<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            valid_factor(self.acceleration) && valid_factor(self.maximum),
            "SAR factors invalid",
        )?;
        state_ok(
            self.step == self.acceleration.min(self.maximum),
            "SAR step inconsistent with its factors",
        )?;
        state_ok(self.seen <= 2, "SAR bar count out of range")?;
        let values = [self.prev_high, self.prev_low, self.af, self.ep, self.next];
        state_ok(values.iter().all(|v| v.is_finite()), "non-finite SAR state")?;
        state_ok(
            self.seen == 0 || self.prev_high >= self.prev_low,
            "SAR previous bar inverted",
        )?;
        if self.seen == 2 {
            state_ok(
                self.af >= self.step && self.af <= self.maximum,
                "SAR acceleration factor out of range",
            )?;
            // The rules leave the SAR beyond the last bar's range and the
            // extreme point at or beyond it, on the trade's side.
            let side_ok = if self.long {
                self.next <= self.prev_low && self.ep >= self.prev_high
            } else {
                self.next >= self.prev_high && self.ep <= self.prev_low
            };
            state_ok(side_ok, "SAR on the wrong side of the last bar")?;
        }
        Ok(())
    }
}

/// TA-Lib's range for both factors: finite and ≥ 0.
fn valid_factor<T: Float>(x: T) -> bool {
    x.is_finite() && x >= T::zero()
}

impl<T: Float> Sar<T> {
    /// A parabolic SAR stepping its acceleration factor by `acceleration` up
    /// to `maximum`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `acceleration` or `maximum` if it
    /// is negative or not finite.
    pub fn new(acceleration: T, maximum: T) -> Result<Self> {
        for (name, x) in [("acceleration", acceleration), ("maximum", maximum)] {
            if !valid_factor(x) {
                return Err(Error::InvalidParameter {
                    name,
                    value: x.to_f64(),
                    reason: "must be finite and >= 0",
                });
            }
        }
        Ok(Self::unchecked(acceleration, maximum))
    }
    fn unchecked(acceleration: T, maximum: T) -> Self {
        Sar {
            acceleration,
            maximum,
            step: acceleration.min(maximum),
            seen: 0,
            prev_high: T::zero(),
            prev_low: T::zero(),
            long: true,
            af: T::zero(),
            ep: T::zero(),
            next: T::zero(),
        }
    }
    /// The acceleration factor's step.
    pub fn acceleration(&self) -> T {
        self.acceleration
    }
    /// The acceleration factor's cap.
    pub fn maximum(&self) -> T {
        self.maximum
    }
    /// Whether the current trade is long (`None` before the second bar).
    pub fn is_long(&self) -> Option<bool> {
        (self.seen == 2).then_some(self.long)
    }

    /// One bar of the rules, with the previous bar's range; returns this
    /// bar's SAR and leaves the next one in `self.next`.
    #[inline]
    fn step_bar(&mut self, prev_high: T, prev_low: T, high: T, low: T) -> T {
        let above = |x: T| x.max(prev_high).max(high);
        let below = |x: T| x.min(prev_low).min(low);
        let out;
        if self.long {
            if low <= self.next {
                self.long = false;
                out = above(self.ep);
                self.af = self.step;
                self.ep = low;
                self.next = above(out + self.af * (self.ep - out));
            } else {
                out = self.next;
                if high > self.ep {
                    self.ep = high;
                    self.af = (self.af + self.step).min(self.maximum);
                }
                self.next = below(out + self.af * (self.ep - out));
            }
        } else if high >= self.next {
            self.long = true;
            out = below(self.ep);
            self.af = self.step;
            self.ep = high;
            self.next = below(out + self.af * (self.ep - out));
        } else {
            out = self.next;
            if low < self.ep {
                self.ep = low;
                self.af = (self.af + self.step).min(self.maximum);
            }
            self.next = above(out + self.af * (self.ep - out));
        }
        out
    }
}

impl<T: Float> Indicator for Sar<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let (high, low) = (bar.high, bar.low);
        let out = match self.seen {
            0 => {
                self.seen = 1;
                None
            }
            1 => {
                // TA-Lib's start: short only on a dominant −DM.
                let minus_dm = self.prev_low - low;
                let plus_dm = high - self.prev_high;
                self.long = !(minus_dm > T::zero() && plus_dm < minus_dm);
                (self.ep, self.next) = if self.long {
                    (high, self.prev_low)
                } else {
                    (low, self.prev_high)
                };
                self.af = self.step;
                self.seen = 2;
                Some(self.step_bar(high, low, high, low))
            }
            _ => Some(self.step_bar(self.prev_high, self.prev_low, high, low)),
        };
        self.prev_high = high;
        self.prev_low = low;
        Ok(out)
    }
    fn reset(&mut self) {
        *self = Self::unchecked(self.acceleration, self.maximum);
    }
    fn lookback(&self) -> usize {
        1
    }
    fn is_ready(&self) -> bool {
        self.seen == 2
    }
}

impl<T: Float> Default for Sar<T> {
    /// SAR(0.02, 0.2), TA-Lib's default.
    fn default() -> Self {
        Self::unchecked(T::from_f64(0.02), T::from_f64(0.2))
    }
}

impl<T: Float> fmt::Display for Sar<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SAR({}, {})", self.acceleration, self.maximum)
    }
}
