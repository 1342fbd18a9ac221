//! `batch_into` (Rsi, Macd, Atr) against streaming `update`: bit-identical
//! values, NaN warm-up rows, and the error contract (index, state, untouched
//! tail) with bad inputs placed around the 256-input chunk boundaries.

use apex_ta::{Atr, Bar, BatchError, Error, Indicator, Macd, MacdOutput, Rsi};

use crate::common::synthetic_bars;

/// Bits of a value, NaN for `None`: equality here is bit-for-bit.
fn bits(x: Option<f64>) -> u64 {
    x.unwrap_or(f64::NAN).to_bits()
}

fn macd_bits(o: Option<MacdOutput<f64>>) -> [u64; 3] {
    o.map_or([f64::NAN.to_bits(); 3], |o| {
        [o.macd.to_bits(), o.signal.to_bits(), o.histogram.to_bits()]
    })
}

/// What a stream produced before it stopped, and where and why it stopped.
type Streamed<O> = (Vec<Option<O>>, Option<(usize, Error)>);

/// Streams `inputs` into `ind` up to the first error.
fn stream<I: Indicator>(ind: &mut I, inputs: &[I::Input]) -> Streamed<I::Output>
where
    I::Input: Copy,
{
    let mut out = Vec::new();
    for (i, &x) in inputs.iter().enumerate() {
        match ind.update(x) {
            Ok(v) => out.push(v),
            Err(e) => return (out, Some((i, e))),
        }
    }
    (out, None)
}

/// Positions where a bad input is planted: start, chunk edges, end.
const AT: [usize; 7] = [0, 1, 255, 256, 257, 511, 699];
const N: usize = 700;

fn bars() -> Vec<Bar> {
    synthetic_bars(N, 11)
}

#[test]
fn rsi_matches_update() {
    let closes: Vec<f64> = bars().iter().map(|b| b.close).collect();
    for bad in [None, Some(f64::NAN), Some(f64::INFINITY)] {
        for &at in &AT {
            let mut xs = closes.clone();
            if let Some(v) = bad {
                xs[at] = v;
            }
            let mut streamed = Rsi::new(14).unwrap();
            let (want, stop) = stream(&mut streamed, &xs);
            let mut batched = Rsi::new(14).unwrap();
            let mut out = vec![-1.0; N];
            let got = batched.batch_into(&xs, &mut out);
            let done = want.len();
            for (i, w) in want.iter().enumerate() {
                assert_eq!(out[i].to_bits(), bits(*w), "bad {bad:?} at {at}, row {i}");
            }
            assert!(out[done..].iter().all(|&v| v == -1.0), "tail written");
            assert_eq!(batched, streamed, "state after the run");
            match (got, stop) {
                (Ok(()), None) => {}
                (Err(BatchError { index, error }), Some((i, e))) => {
                    assert_eq!(index, i);
                    assert_eq!(format!("{error:?}"), format!("{e:?}"));
                }
                other => panic!("bad {bad:?} at {at}: {other:?}"),
            }
            if bad.is_none() {
                break;
            }
        }
    }
}

#[test]
fn macd_matches_update() {
    let closes: Vec<f64> = bars().iter().map(|b| b.close).collect();
    for &at in &AT {
        let mut xs = closes.clone();
        xs[at] = f64::NEG_INFINITY;
        let mut streamed = Macd::new(12, 26, 9).unwrap();
        let (want, stop) = stream(&mut streamed, &xs);
        let mut batched = Macd::new(12, 26, 9).unwrap();
        let fill = MacdOutput {
            macd: -1.0,
            signal: -1.0,
            histogram: -1.0,
        };
        let mut out = vec![fill; N];
        let err = batched.batch_into(&xs, &mut out).unwrap_err();
        for (i, w) in want.iter().enumerate() {
            let o = out[i];
            assert_eq!(
                [o.macd.to_bits(), o.signal.to_bits(), o.histogram.to_bits()],
                macd_bits(*w),
                "at {at}, row {i}"
            );
        }
        assert!(out[want.len()..].iter().all(|o| *o == fill));
        assert_eq!(batched, streamed);
        assert_eq!(Some(err.index), stop.map(|s| s.0));
    }
}

#[test]
fn atr_matches_update_and_resumes() {
    let clean = bars();
    let ok = clean[0];
    let bad = [
        Bar {
            high: f64::NAN,
            ..ok
        },
        Bar { volume: -1.0, ..ok },
        Bar {
            close: ok.high + 1.0,
            ..ok
        },
        Bar {
            open: f64::INFINITY,
            ..ok
        },
    ];
    for (k, &at) in AT.iter().enumerate() {
        let mut xs = clean.clone();
        xs[at] = bad[k % bad.len()];
        let mut streamed = Atr::new(14).unwrap();
        let (want, stop) = stream(&mut streamed, &xs);
        let mut batched = Atr::new(14).unwrap();
        let mut out = vec![-1.0; N];
        let err = batched.batch_into(&xs, &mut out).unwrap_err();
        for (i, w) in want.iter().enumerate() {
            assert_eq!(out[i].to_bits(), bits(*w), "at {at}, row {i}");
        }
        assert!(out[at..].iter().all(|&v| v == -1.0));
        assert_eq!(batched, streamed);
        let (i, e) = stop.unwrap();
        assert_eq!(err.index, i);
        // Debug form: the error carries the NaN it rejected.
        assert_eq!(format!("{:?}", err.error), format!("{e:?}"));
        // Resuming after the bad bar continues exactly like the stream.
        let rest = &xs[at + 1..];
        let mut out2 = vec![0.0; rest.len()];
        batched.batch_into(rest, &mut out2).unwrap();
        let (want2, none) = stream(&mut streamed, rest);
        assert!(none.is_none());
        let got2: Vec<u64> = out2.iter().map(|v| v.to_bits()).collect();
        let want2: Vec<u64> = want2.into_iter().map(bits).collect();
        assert_eq!(got2, want2);
    }
}

#[test]
fn slow_path_bars_are_accepted() {
    // Valid bars the one-pass test doubts (volume -0.0, high - low
    // overflowing) go through the full check and are accepted, as `update`
    // accepts them.
    let mut xs = bars();
    xs[300].volume = -0.0;
    xs[301] = Bar::new(0.0, f64::MAX, -f64::MAX, 0.0, 1.0);
    let mut streamed = Atr::new(5).unwrap();
    let (want, stop) = stream(&mut streamed, &xs);
    assert!(stop.is_none());
    let mut out = vec![0.0; N];
    Atr::new(5).unwrap().batch_into(&xs, &mut out).unwrap();
    let got: Vec<u64> = out.iter().map(|v| v.to_bits()).collect();
    let want: Vec<u64> = want.into_iter().map(bits).collect();
    assert_eq!(got, want);
}

#[test]
fn length_mismatch_consumes_nothing() {
    let mut rsi = Rsi::new(3).unwrap();
    let mut out = [0.0; 2];
    let err = rsi.batch_into(&[1.0, 2.0, 3.0], &mut out).unwrap_err();
    assert_eq!(err.index, 0);
    assert!(matches!(
        err.error,
        Error::LengthMismatch {
            name: "out",
            expected: 3,
            got: 2
        }
    ));
    assert_eq!(rsi, Rsi::new(3).unwrap());
    assert_eq!(out, [0.0; 2]);
}

#[test]
fn empty_and_split_runs() {
    // Splitting a run anywhere (inside the warm-up, at the switch to the
    // steady loop, later) gives the same values as one run.
    let closes: Vec<f64> = bars().iter().map(|b| b.close).collect();
    let mut whole = vec![0.0; N];
    Rsi::new(14)
        .unwrap()
        .batch_into(&closes, &mut whole)
        .unwrap();
    for cut in [0, 1, 14, 15, 16, 300, N] {
        let mut rsi = Rsi::new(14).unwrap();
        let mut parts = vec![0.0; N];
        let (a, b) = parts.split_at_mut(cut);
        rsi.batch_into(&closes[..cut], a).unwrap();
        rsi.batch_into(&closes[cut..], b).unwrap();
        let same = parts
            .iter()
            .zip(&whole)
            .all(|(x, y)| x.to_bits() == y.to_bits());
        assert!(same, "cut at {cut}");
    }
}
