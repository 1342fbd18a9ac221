//! `--select` entries of the library's overlap indicators.

use apex_ta::{
    Bbands, Dema, Indicator, Kama, MaType, MidPoint, MidPrice, Sar, Tema, Trima, Wma, T3,
};

use super::{n, on_bar, on_close, real, whole, x, Spec};

/// TA-Lib's `matype` code in parameter `i`.
fn matype(ps: &[f64], i: usize) -> apex_ta::Result<MaType> {
    MaType::from_talib(u32::try_from(n(ps, i)).unwrap_or(u32::MAX))
}

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "bbands",
        params: &[
            whole("timeperiod", 5),
            real("nbdevup", 2.0),
            real("nbdevdn", 2.0),
            whole("matype", 0),
        ],
        about:
            "Bollinger Bands of the close: MA(matype) +/- nbdev population std devs (TA-Lib BBANDS)",
        outputs: &["upperband", "middleband", "lowerband"],
        build: |ps| {
            let mut b = Bbands::new(n(ps, 0), x(ps, 1), x(ps, 2), matype(ps, 3)?)?;
            Ok(Box::new(move |_, bar, out| {
                let v = b.update(bar.close)?;
                out.extend([v.map(|v| v.upper), v.map(|v| v.middle), v.map(|v| v.lower)]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "dema",
        params: &[whole("timeperiod", 30)],
        about: "double exponential moving average of the close (TA-Lib DEMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Dema::new(n(ps, 0))?)),
    },
    Spec {
        name: "tema",
        params: &[whole("timeperiod", 30)],
        about: "triple exponential moving average of the close (TA-Lib TEMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Tema::new(n(ps, 0))?)),
    },
    Spec {
        name: "wma",
        params: &[whole("timeperiod", 30)],
        about: "linearly weighted moving average of the close (TA-Lib WMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Wma::new(n(ps, 0))?)),
    },
    Spec {
        name: "trima",
        params: &[whole("timeperiod", 30)],
        about: "triangular moving average of the close (TA-Lib TRIMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Trima::new(n(ps, 0))?)),
    },
    Spec {
        name: "kama",
        params: &[whole("timeperiod", 30)],
        about: "Kaufman adaptive moving average of the close (TA-Lib KAMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Kama::new(n(ps, 0))?)),
    },
    Spec {
        name: "t3",
        params: &[whole("timeperiod", 5), real("vfactor", 0.7)],
        about: "Tillson T3 moving average of the close (TA-Lib T3)",
        outputs: &[""],
        build: |ps| Ok(on_close(T3::new(n(ps, 0), x(ps, 1))?)),
    },
    Spec {
        name: "midpoint",
        params: &[whole("timeperiod", 14)],
        about: "(highest + lowest close) / 2 over the window (TA-Lib MIDPOINT)",
        outputs: &[""],
        build: |ps| Ok(on_close(MidPoint::new(n(ps, 0))?)),
    },
    Spec {
        name: "midprice",
        params: &[whole("timeperiod", 14)],
        about: "(highest high + lowest low) / 2 over the window (TA-Lib MIDPRICE)",
        outputs: &[""],
        build: |ps| Ok(on_bar(MidPrice::new(n(ps, 0))?)),
    },
    Spec {
        name: "sar",
        params: &[real("acceleration", 0.02), real("maximum", 0.2)],
        about: "parabolic SAR, TA-Lib's start and rules (TA-Lib SAR)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Sar::new(x(ps, 0), x(ps, 1))?)),
    },
];
