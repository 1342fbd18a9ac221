//! The core indicators of the library (the default columns and the rest).

use apex_ta::{
    Atr, Ema, FibonacciLevels, Indicator, Macd, Natr, RollingMax, RollingMin, Rsi, Sma, StdDev,
    TrueRange, VolumeZScore, Wilder,
};

use super::{n, on_bar, on_close, whole, Spec};

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "rsi",
        params: &[whole("period", 14)],
        about: "Wilder RSI of the close, 0-100 (TA-Lib RSI)",
        outputs: &[""],
        build: |ps| Ok(on_close(Rsi::new(n(ps, 0))?)),
    },
    Spec {
        name: "macd",
        params: &[whole("fast", 12), whole("slow", 26), whole("signal", 9)],
        about: "MACD line, signal and histogram of the close (TA-Lib MACD)",
        outputs: &["", "signal", "hist"],
        build: |ps| {
            let mut m = Macd::new(n(ps, 0), n(ps, 1), n(ps, 2))?;
            Ok(Box::new(move |_, bar, out| {
                let v = m.update(bar.close)?;
                out.extend([
                    v.map(|v| v.macd),
                    v.map(|v| v.signal),
                    v.map(|v| v.histogram),
                ]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "atr",
        params: &[whole("period", 14)],
        about: "Wilder average true range (TA-Lib ATR)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Atr::new(n(ps, 0))?)),
    },
    Spec {
        name: "natr",
        params: &[whole("period", 14)],
        about: "ATR in percent of the close (TA-Lib NATR)",
        outputs: &[""],
        build: |ps| Ok(on_bar(Natr::new(n(ps, 0))?)),
    },
    Spec {
        name: "trange",
        params: &[],
        about: "true range (TA-Lib TRANGE)",
        outputs: &[""],
        build: |_| Ok(on_bar(TrueRange::new())),
    },
    Spec {
        name: "ema",
        params: &[whole("period", 20)],
        about: "exponential moving average of the close, SMA seed (TA-Lib EMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Ema::new(n(ps, 0))?)),
    },
    Spec {
        name: "sma",
        params: &[whole("period", 20)],
        about: "simple moving average of the close (TA-Lib SMA)",
        outputs: &[""],
        build: |ps| Ok(on_close(Sma::new(n(ps, 0))?)),
    },
    Spec {
        name: "wilder",
        params: &[whole("period", 14)],
        about: "Wilder's moving average (RMA, alpha = 1/n) of the close",
        outputs: &[""],
        build: |ps| Ok(on_close(Wilder::new(n(ps, 0))?)),
    },
    Spec {
        name: "stddev",
        params: &[whole("period", 20)],
        about: "population standard deviation of the close (TA-Lib STDDEV, nbdev 1)",
        outputs: &[""],
        build: |ps| Ok(on_close(StdDev::new(n(ps, 0))?)),
    },
    Spec {
        name: "max",
        params: &[whole("period", 20)],
        about: "highest close of the window (TA-Lib MAX)",
        outputs: &[""],
        build: |ps| Ok(on_close(RollingMax::new(n(ps, 0))?)),
    },
    Spec {
        name: "min",
        params: &[whole("period", 20)],
        about: "lowest close of the window (TA-Lib MIN)",
        outputs: &[""],
        build: |ps| Ok(on_close(RollingMin::new(n(ps, 0))?)),
    },
    Spec {
        name: "volume_z",
        params: &[whole("period", 20)],
        about: "volume z-score and volume / its average (columns volume_z_N, volume_ratio_N)",
        outputs: &["", "ratio"],
        build: |ps| {
            let mut v = VolumeZScore::new(n(ps, 0))?;
            Ok(Box::new(move |_, bar, out| {
                let o = v.update(bar.volume)?;
                out.extend([o.and_then(|o| o.z), o.and_then(|o| o.ratio)]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "fib",
        params: &[whole("period", 55)],
        about: "Fibonacci swing of the window: its high, low and the close's retracement (0 = swing end, 1 = swing start)",
        outputs: &["high", "low", "retracement"],
        build: |ps| {
            let mut f = FibonacciLevels::new(n(ps, 0))?;
            Ok(Box::new(move |_, bar, out| {
                let o = f.update(bar)?;
                out.extend([
                    o.map(|o| o.swing.high),
                    o.map(|o| o.swing.low),
                    o.and_then(|o| o.retracement),
                ]);
                Ok(())
            }))
        },
    },
];
