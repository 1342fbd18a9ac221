//! `--select` entries of the library's channels indicators (TradingView's
//! definitions; no TA-Lib twin).

use apex_ta::{Donchian, Ichimoku, Indicator, Keltner, MaType, SuperTrend, Vwap, VwapAnchor};

use super::{n, real, whole, x, Spec};

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "vwap",
        params: &[real("mult", 1.0), real("utc_offset_hours", 0.0)],
        about: "session VWAP of hlc3 with mult-sigma bands; a session is the calendar day of the row's date (shifted by utc_offset_hours for UTC timestamps) (TradingView VWAP)",
        outputs: &["", "upper", "lower"],
        build: |ps| {
            let hours = x(ps, 1);
            let seconds = hours * 3600.0;
            if seconds.fract() != 0.0 || !seconds.is_finite() {
                return Err(apex_ta::Error::InvalidParameter {
                    name: "utc_offset_hours",
                    value: hours,
                    reason: "must be a whole number of seconds",
                });
            }
            #[allow(clippy::cast_possible_truncation)] // whole, and checked below 1 day
            let mut v = Vwap::new(VwapAnchor::Day, x(ps, 0))?.with_utc_offset(seconds as i64)?;
            Ok(Box::new(move |ts, bar, out| {
                let o = v.update((ts, bar))?.unwrap_or_default();
                out.extend([o.vwap, o.upper, o.lower]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "keltner",
        params: &[
            whole("length", 20),
            real("multiplier", 2.0),
            whole("atr_length", 10),
        ],
        about: "Keltner channels: EMA of the close +- multiplier x ATR (Pine ta.atr) (TradingView Keltner Channels)",
        outputs: &["upper", "basis", "lower"],
        build: |ps| {
            let mut k = Keltner::with_params(n(ps, 0), x(ps, 1), n(ps, 2), MaType::Ema)?;
            Ok(Box::new(move |_, bar, out| {
                let o = k.update(bar)?;
                out.extend([o.map(|o| o.upper), o.map(|o| o.basis), o.map(|o| o.lower)]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "donchian",
        params: &[whole("length", 20)],
        about: "Donchian channels: highest high, midpoint, lowest low (TradingView Donchian Channels)",
        outputs: &["upper", "basis", "lower"],
        build: |ps| {
            let mut d = Donchian::new(n(ps, 0))?;
            Ok(Box::new(move |_, bar, out| {
                let o = d.update(bar)?;
                out.extend([o.map(|o| o.upper), o.map(|o| o.basis), o.map(|o| o.lower)]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "supertrend",
        params: &[whole("atr_period", 10), real("factor", 3.0)],
        about: "SuperTrend line and direction (-1 uptrend, +1 downtrend, as TradingView's ta.supertrend)",
        outputs: &["", "direction"],
        build: |ps| {
            let mut s = SuperTrend::new(n(ps, 0), x(ps, 1))?;
            Ok(Box::new(move |_, bar, out| {
                let o = s.update(bar)?;
                out.extend([o.map(|o| o.supertrend), o.map(|o| f64::from(o.direction))]);
                Ok(())
            }))
        },
    },
    Spec {
        name: "ichimoku",
        params: &[
            whole("conversion", 9),
            whole("base", 26),
            whole("span_b", 52),
            whole("displacement", 26),
        ],
        about: "Ichimoku lines computed at each row, unshifted (TradingView draws lead_a/lead_b displacement-1 rows ahead, lagging displacement-1 rows behind) (TradingView Ichimoku Cloud)",
        outputs: &["conversion", "base", "lead_a", "lead_b", "lagging"],
        build: |ps| {
            let mut i = Ichimoku::new(n(ps, 0), n(ps, 1), n(ps, 2), n(ps, 3))?;
            Ok(Box::new(move |_, bar, out| {
                let o = i.update(bar)?;
                out.extend([
                    o.map(|o| o.conversion),
                    o.map(|o| o.base),
                    o.map(|o| o.lead_a),
                    o.map(|o| o.lead_b),
                    o.map(|o| o.lagging),
                ]);
                Ok(())
            }))
        },
    },
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use apex_ta::Bar;

    fn spec(name: &str) -> &'static Spec {
        SPECS.iter().find(|s| s.name == name).unwrap()
    }

    #[test]
    fn columns_carry_the_parameters() {
        assert_eq!(
            spec("keltner").columns(&[20.0, 2.0, 10.0]),
            [
                "keltner_20_2_10_upper",
                "keltner_20_2_10_basis",
                "keltner_20_2_10_lower"
            ]
        );
        assert_eq!(
            spec("vwap").columns(&[1.0, -5.0]),
            ["vwap_1_-5", "vwap_1_-5_upper", "vwap_1_-5_lower"]
        );
        assert_eq!(
            spec("supertrend").columns(&[10.0, 3.0]),
            ["supertrend_10_3", "supertrend_10_3_direction"]
        );
        assert_eq!(
            spec("ichimoku").columns(&[9.0, 26.0, 52.0, 26.0])[2],
            "ichimoku_9_26_52_26_lead_a"
        );
        assert_eq!(spec("donchian").columns(&[20.0])[1], "donchian_20_basis");
    }

    #[test]
    fn vwap_sessions_are_calendar_days_of_the_row() {
        let mut step = (spec("vwap").build)(&[1.0, 0.0]).unwrap();
        let mut out = Vec::new();
        let day = 86_400;
        step(day, Bar::new(10.0, 11.0, 9.0, 10.0, 1.0), &mut out).unwrap();
        step(day + 60, Bar::new(13.0, 14.0, 12.0, 13.0, 2.0), &mut out).unwrap();
        assert_eq!(out[3], Some(12.0));
        out.clear();
        step(2 * day, Bar::new(20.0, 21.0, 19.0, 20.0, 0.0), &mut out).unwrap();
        assert_eq!(out, [None, None, None]); // a new day with no volume yet
                                             // New York time on UTC stamps: 04:00 UTC is still the previous day.
        let mut ny = (spec("vwap").build)(&[1.0, -5.0]).unwrap();
        let mut out = Vec::new();
        ny(
            day + 3 * 3600,
            Bar::new(10.0, 11.0, 9.0, 10.0, 1.0),
            &mut out,
        )
        .unwrap();
        ny(
            day + 4 * 3600,
            Bar::new(20.0, 21.0, 19.0, 20.0, 1.0),
            &mut out,
        )
        .unwrap();
        assert_eq!(out[3], Some(15.0));
        assert!((spec("vwap").build)(&[1.0, 0.0001]).is_err());
        assert!((spec("vwap").build)(&[1.0, 24.0]).is_err());
        assert!((spec("vwap").build)(&[-1.0, 0.0]).is_err());
    }
}
