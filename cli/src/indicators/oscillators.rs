//! `--select` entries of the library's oscillators indicators.

use apex_ta::{
    Apo, Bop, Cmo, Indicator, MaType, Mfi, Mom, Ppo, Roc, Rocp, Rocr, Rocr100, Stoch, StochF,
    StochOutput, StochRsi, Trix,
};

use super::{n, on_bar, on_close, whole, Spec, Step};

/// Parameter `i` as TA-Lib's `matype` code (0 SMA, 1 EMA).
fn matype(ps: &[f64], i: usize) -> apex_ta::Result<MaType> {
    MaType::from_talib(u32::try_from(n(ps, i)).unwrap_or(u32::MAX))
}

/// A stochastic's two lines as two columns.
fn two_lines<I>(mut ind: I, input: fn(apex_ta::Bar) -> I::Input) -> Step
where
    I: Indicator<Output = StochOutput> + 'static,
{
    Box::new(move |_, bar, out| {
        let o = ind.update(input(bar))?;
        out.extend([o.map(|o| o.k), o.map(|o| o.d)]);
        Ok(())
    })
}

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "apo",
        params: &[
            whole("fastperiod", 12),
            whole("slowperiod", 26),
            whole("matype", 0),
        ],
        about: "absolute price oscillator: fast MA − slow MA of the close (TA-Lib APO; matype 0 SMA, 1 EMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Apo::new(n(ps, 0), n(ps, 1), matype(ps, 2)?)?)),
    },
    Spec {
        name: "ppo",
        params: &[
            whole("fastperiod", 12),
            whole("slowperiod", 26),
            whole("matype", 0),
        ],
        about: "percentage price oscillator: (fast MA − slow MA) / slow MA · 100 (TA-Lib PPO)",
        outputs: &[""],
        build: |ps| Ok(on_close(Ppo::new(n(ps, 0), n(ps, 1), matype(ps, 2)?)?)),
    },
    Spec {
        name: "bop",
        params: &[],
        about: "balance of power: (close − open) / (high − low), -1..1 (TA-Lib BOP)",
        outputs: &[""],
        build: |_| Ok(on_bar(Bop::new())),
    },
    Spec {
        name: "cmo",
        params: &[whole("timeperiod", 14)],
        about: "Chande momentum oscillator of the close, -100..100 (TA-Lib CMO)",
        outputs: &[""],
        build: |ps| Ok(on_close(Cmo::new(n(ps, 0))?)),
    },
    Spec {
        name: "mfi",
        params: &[whole("timeperiod", 14)],
        about: "money flow index: volume-weighted RSI of the typical price, 0-100 (TA-Lib MFI)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Mfi::new(n(ps, 0))?)),
    },
    Spec {
        name: "mom",
        params: &[whole("timeperiod", 10)],
        about: "momentum: close − close n bars back (TA-Lib MOM)",
        outputs: &[""],
        build: |ps| Ok(on_close(Mom::new(n(ps, 0))?)),
    },
    Spec {
        name: "roc",
        params: &[whole("timeperiod", 10)],
        about: "rate of change in percent over n bars (TA-Lib ROC)",
        outputs: &[""],
        build: |ps| Ok(on_close(Roc::new(n(ps, 0))?)),
    },
    Spec {
        name: "rocp",
        params: &[whole("timeperiod", 10)],
        about: "rate of change as a fraction over n bars (TA-Lib ROCP)",
        outputs: &[""],
        build: |ps| Ok(on_close(Rocp::new(n(ps, 0))?)),
    },
    Spec {
        name: "rocr",
        params: &[whole("timeperiod", 10)],
        about: "rate-of-change ratio: close / close n bars back (TA-Lib ROCR)",
        outputs: &[""],
        build: |ps| Ok(on_close(Rocr::new(n(ps, 0))?)),
    },
    Spec {
        name: "rocr100",
        params: &[whole("timeperiod", 10)],
        about: "rate-of-change ratio times 100 (TA-Lib ROCR100)",
        outputs: &[""],
        build: |ps| Ok(on_close(Rocr100::new(n(ps, 0))?)),
    },
    Spec {
        name: "stoch",
        params: &[
            whole("fastk_period", 5),
            whole("slowk_period", 3),
            whole("slowk_matype", 0),
            whole("slowd_period", 3),
            whole("slowd_matype", 0),
        ],
        about: "slow stochastic %K and %D, 0-100 (TA-Lib STOCH)",
        outputs: &["slowk", "slowd"],
        build: |ps| {
            let s = Stoch::new(
                n(ps, 0),
                n(ps, 1),
                matype(ps, 2)?,
                n(ps, 3),
                matype(ps, 4)?,
            )?;
            Ok(two_lines(s, |bar| bar))
        },
    },
    Spec {
        name: "stochf",
        params: &[
            whole("fastk_period", 5),
            whole("fastd_period", 3),
            whole("fastd_matype", 0),
        ],
        about: "fast stochastic %K and %D, 0-100 (TA-Lib STOCHF)",
        outputs: &["fastk", "fastd"],
        build: |ps| {
            let s = StochF::new(n(ps, 0), n(ps, 1), matype(ps, 2)?)?;
            Ok(two_lines(s, |bar| bar))
        },
    },
    Spec {
        name: "stochrsi",
        params: &[
            whole("timeperiod", 14),
            whole("fastk_period", 5),
            whole("fastd_period", 3),
            whole("fastd_matype", 0),
        ],
        about: "stochastic RSI of the close, %K and %D, 0-100 (TA-Lib STOCHRSI)",
        outputs: &["fastk", "fastd"],
        build: |ps| {
            let s = StochRsi::new(n(ps, 0), n(ps, 1), n(ps, 2), matype(ps, 3)?)?;
            Ok(two_lines(s, |bar| bar.close))
        },
    },
    Spec {
        name: "trix",
        params: &[whole("timeperiod", 30)],
        about: "TRIX: 1-bar rate of change in percent of a triple EMA of the close (TA-Lib TRIX)",
        outputs: &[""],
        build: |ps| Ok(on_close(Trix::new(n(ps, 0))?)),
    },
];
