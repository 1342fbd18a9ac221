//! `--select` entries of the library's flow indicators.

use apex_ta::{Ad, AdOsc, Obv};

use super::{n, on_bar, whole, Spec};

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "ad",
        params: &[],
        about: "Chaikin accumulation/distribution line: running total of volume x close location in the range (TA-Lib AD)",
        outputs: &[""],
        build: |_| Ok(on_bar(Ad::new())),
    },
    Spec {
        name: "adosc",
        params: &[whole("fastperiod", 3), whole("slowperiod", 10)],
        about: "Chaikin A/D oscillator: EMA(fast) - EMA(slow) of the A/D line, both seeded at its first value (TA-Lib ADOSC)",
        outputs: &[""],
        build: |ps| Ok(on_bar(AdOsc::new(n(ps, 0), n(ps, 1))?)),
    },
    Spec {
        name: "obv",
        params: &[],
        about: "on-balance volume: running total of volume, + on up closes, - on down closes, from the first volume (TA-Lib OBV)",
        outputs: &[""],
        build: |_| Ok(on_bar(Obv::new())),
    },
];
