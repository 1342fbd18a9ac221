//! `--select` entries of the library's directional indicators.

use apex_ta::{
    Adx, Adxr, Aroon, AroonOsc, Cci, Dx, Indicator, MinusDi, MinusDm, PlusDi, PlusDm, UltOsc, WillR,
};

use super::{n, on_bar, whole, Spec};

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "plus_dm",
        params: &[whole("timeperiod", 14)],
        about: "Wilder-smoothed sum of up moves (TA-Lib PLUS_DM)",
        outputs: &[""],
        build: |ps| Ok(on_bar(PlusDm::new(n(ps, 0))?)),
    },
    Spec {
        name: "minus_dm",
        params: &[whole("timeperiod", 14)],
        about: "Wilder-smoothed sum of down moves (TA-Lib MINUS_DM)",
        outputs: &[""],
        build: |ps| Ok(on_bar(MinusDm::new(n(ps, 0))?)),
    },
    Spec {
        name: "plus_di",
        params: &[whole("timeperiod", 14)],
        about: "plus directional indicator, 0-100 (TA-Lib PLUS_DI)",
        outputs: &[""],
        build: |ps| Ok(on_bar(PlusDi::new(n(ps, 0))?)),
    },
    Spec {
        name: "minus_di",
        params: &[whole("timeperiod", 14)],
        about: "minus directional indicator, 0-100 (TA-Lib MINUS_DI)",
        outputs: &[""],
        build: |ps| Ok(on_bar(MinusDi::new(n(ps, 0))?)),
    },
    Spec {
        name: "dx",
        params: &[whole("timeperiod", 14)],
        about: "directional movement index, 0-100 (TA-Lib DX)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Dx::new(n(ps, 0))?)),
    },
    Spec {
        name: "adx",
        params: &[whole("timeperiod", 14)],
        about: "average directional index: trend strength, 0-100 (TA-Lib ADX)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Adx::new(n(ps, 0))?)),
    },
    Spec {
        name: "adxr",
        params: &[whole("timeperiod", 14)],
        about: "ADX averaged with its value n-1 bars earlier (TA-Lib ADXR)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Adxr::new(n(ps, 0))?)),
    },
    Spec {
        name: "aroon",
        params: &[whole("timeperiod", 14)],
        about: "Aroon down and up: recency of the window's low and high, 0-100 (TA-Lib AROON)",
        outputs: &["aroondown", "aroonup"],
        build: |ps| {
            let mut a = Aroon::new(n(ps, 0))?;
            Ok(Box::new(move |_, bar, out| {
                let v = a.update(bar)?;
                out.extend([v.map(|v| v.down), v.map(|v| v.up)]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "aroonosc",
        params: &[whole("timeperiod", 14)],
        about: "Aroon up minus Aroon down, -100 to 100 (TA-Lib AROONOSC)",
        outputs: &[""],
        build: |ps| Ok(on_bar(AroonOsc::new(n(ps, 0))?)),
    },
    Spec {
        name: "cci",
        params: &[whole("timeperiod", 14)],
        about: "commodity channel index of the typical price (TA-Lib CCI)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Cci::new(n(ps, 0))?)),
    },
    Spec {
        name: "willr",
        params: &[whole("timeperiod", 14)],
        about: "Williams %R: the close in the window's range, -100 to 0 (TA-Lib WILLR)",
        outputs: &[""],
        build: |ps| Ok(on_bar(WillR::new(n(ps, 0))?)),
    },
    Spec {
        name: "ultosc",
        params: &[
            whole("timeperiod1", 7),
            whole("timeperiod2", 14),
            whole("timeperiod3", 28),
        ],
        about: "ultimate oscillator: buying pressure over three horizons, 0-100 (TA-Lib ULTOSC)",
        outputs: &[""],
        build: |ps| Ok(on_bar(UltOsc::new(n(ps, 0), n(ps, 1), n(ps, 2))?)),
    },
];
