//! `--select` entries of the library's statistics indicators.

use apex_ta::{
    Beta, Correl, Indicator, LinearReg, LinearRegAngle, LinearRegIntercept, LinearRegSlope, Tsf,
    Var,
};

use super::{n, on_close, real, whole, x, Spec, Step};

/// A two-series indicator fed (high, low): TA-Lib's abstract API default
/// for BETA's and CORREL's price0 and price1.
fn on_high_low<I>(mut ind: I) -> Step
where
    I: Indicator<Input = (f64, f64), Output = f64> + 'static,
{
    Box::new(move |_, bar, out| {
        out.push(ind.update((bar.high, bar.low))?);
        Ok(())
    })
}

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "var",
        params: &[whole("timeperiod", 5), real("nbdev", 1.0)],
        about: "population variance of the close (TA-Lib VAR; nbdev is accepted and, as in TA-Lib, ignored)",
        outputs: &[""],
        build: |ps| Ok(on_close(Var::new(n(ps, 0), x(ps, 1))?)),
    },
    Spec {
        name: "linearreg",
        params: &[whole("timeperiod", 14)],
        about: "least-squares line of the close over the window, at the newest bar (TA-Lib LINEARREG)",
        outputs: &[""],
        build: |ps| Ok(on_close(LinearReg::new(n(ps, 0))?)),
    },
    Spec {
        name: "linearreg_slope",
        params: &[whole("timeperiod", 14)],
        about: "slope per bar of the least-squares line of the close (TA-Lib LINEARREG_SLOPE)",
        outputs: &[""],
        build: |ps| Ok(on_close(LinearRegSlope::new(n(ps, 0))?)),
    },
    Spec {
        name: "linearreg_intercept",
        params: &[whole("timeperiod", 14)],
        about: "least-squares line of the close at the oldest bar of the window (TA-Lib LINEARREG_INTERCEPT)",
        outputs: &[""],
        build: |ps| Ok(on_close(LinearRegIntercept::new(n(ps, 0))?)),
    },
    Spec {
        name: "linearreg_angle",
        params: &[whole("timeperiod", 14)],
        about: "slope of the least-squares line of the close as an angle in degrees (TA-Lib LINEARREG_ANGLE)",
        outputs: &[""],
        build: |ps| Ok(on_close(LinearRegAngle::new(n(ps, 0))?)),
    },
    Spec {
        name: "tsf",
        params: &[whole("timeperiod", 14)],
        about: "time series forecast: the least-squares line of the close one bar ahead (TA-Lib TSF)",
        outputs: &[""],
        build: |ps| Ok(on_close(Tsf::new(n(ps, 0))?)),
    },
    Spec {
        name: "beta",
        params: &[whole("timeperiod", 5)],
        about: "beta of the low's returns on the high's (TA-Lib BETA with its abstract API's default inputs price0 = high, price1 = low)",
        outputs: &[""],
        build: |ps| Ok(on_high_low(Beta::new(n(ps, 0))?)),
    },
    Spec {
        name: "correl",
        params: &[whole("timeperiod", 30)],
        about: "Pearson correlation of high and low over the window (TA-Lib CORREL with its abstract API's default inputs price0 = high, price1 = low)",
        outputs: &[""],
        build: |ps| Ok(on_high_low(Correl::new(n(ps, 0))?)),
    },
];
