//! Sanity check for the peer benchmark (not timed).
//!
//! Runs every library once over the same N bars that `benches/peers.rs` uses
//! and prints each one's last RSI / MACD / ATR value, so a reader can see the
//! harness feeds every library the same data the same way (values differ
//! where a library defines the indicator differently, e.g. `ta`'s RSI/ATR use
//! an EMA, not Wilder's smoothing). Also checks that each seeded streaming
//! path agrees with the same library's batch path, and writes the bars to
//! `/tmp/peers_bars.bin` (or the path given as the first argument) for
//! `talib_c.py --verify`.
#![allow(missing_docs, clippy::unwrap_used, clippy::panic)]

use apex_ta_peers::{apex_bars, bars, dump_columns, wickra_candles, Columns, N};

fn close_enough(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/peers_bars.bin".into());
    let bars = bars(N);
    let cols = Columns::from_bars(&bars);
    let apex = apex_bars(&bars);
    let wick = wickra_candles(&bars);
    let closes = &cols.close[..];
    let (h, l, c) = (&cols.high[..], &cols.low[..], &cols.close[..]);
    std::fs::write(&path, dump_columns(&cols)).unwrap();
    let sum: f64 = closes.iter().sum();
    println!(
        "{N} bars written to {path}; sum(close) = {sum:.17e}, last close = {:.17e}",
        closes[N - 1]
    );
    for (i, b) in bars.iter().enumerate() {
        assert!(
            b.low <= b.open.min(b.close) && b.open.max(b.close) <= b.high && b.volume > 0.0,
            "bar {i}"
        );
    }

    let core = ta_lib::Core::new();
    let mut fails = 0;
    let mut agree = |what: &str, a: f64, b: f64| {
        let ok = close_enough(a, b);
        if !ok {
            fails += 1;
        }
        println!(
            "  {what:<40} {a:.12e} vs {b:.12e} {}",
            if ok { "ok" } else { "MISMATCH" }
        );
    };

    // ---------------- RSI(14)
    println!("RSI(14), last value (yata reports 0..1, shown x100):");
    let mut a = apex_ta::Rsi::<f64>::new(14).unwrap();
    let apex_rsi = closes
        .iter()
        .map(|&x| apex_ta::Indicator::update(&mut a, x).unwrap())
        .last()
        .unwrap()
        .unwrap();
    let mut out = vec![0.0; N];
    let r = core.rsi(0, N - 1, closes, 14, &mut out).unwrap();
    let tl_batch = out[r.count - 1];
    let lb = core.rsi_lookback(14).unwrap();
    let (mut s, _) = core.rsi_open(&closes[..=lb], 14).unwrap();
    let tl_stream = closes[lb + 1..]
        .iter()
        .map(|&x| s.update(x).unwrap())
        .last()
        .unwrap();
    let mut t = ta::indicators::RelativeStrengthIndex::new(14).unwrap();
    let ta_v = closes
        .iter()
        .map(|&x| ta::Next::next(&mut t, x))
        .last()
        .unwrap();
    let mut w = wickra::Rsi::new(14).unwrap();
    let wk = closes
        .iter()
        .map(|&x| wickra::Indicator::update(&mut w, x))
        .last()
        .unwrap()
        .unwrap();
    let (mut o1, mut o2, mut o3) = (vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    kand::ohlcv::rsi::rsi(closes, 14, &mut o1, &mut o2, &mut o3).unwrap();
    let kb = o1[N - 1];
    let (mut r1, mut r2, mut r3) = ([0.0; 15], [0.0; 15], [0.0; 15]);
    kand::ohlcv::rsi::rsi(&closes[..15], 14, &mut r1, &mut r2, &mut r3).unwrap();
    let (mut prev, mut ag, mut al, mut ki) = (closes[14], r2[14], r3[14], 0.0);
    for &x in &closes[15..] {
        (ki, ag, al) = kand::ohlcv::rsi::rsi_inc(x, prev, ag, al, 14).unwrap();
        prev = x;
    }
    let ycfg = yata::indicators::RSI {
        ma: yata::helpers::MA::WSMA(14),
        ..Default::default()
    };
    let mut y = yata::core::IndicatorConfig::init(ycfg, &bars[0]).unwrap();
    let yv = bars[1..]
        .iter()
        .map(|b| yata::core::IndicatorInstance::next(&mut y, b))
        .last()
        .unwrap()
        .value(0)
        * 100.0;
    println!("  apex-ta {apex_rsi:.12}  ta-lib {tl_batch:.12}  ta {ta_v:.12}  wickra {wk:.12}  kand {kb:.12}  yata {yv:.12}");
    agree("ta-lib stream == ta-lib batch", tl_stream, tl_batch);
    agree("kand inc == kand batch", ki, kb);
    agree("apex-ta == ta-lib", apex_rsi, tl_batch);

    // ---------------- MACD(12,26,9)
    println!("MACD(12,26,9), last (macd, signal, hist):");
    let mut a = apex_ta::Macd::<f64>::new(12, 26, 9).unwrap();
    let am = closes
        .iter()
        .map(|&x| apex_ta::Indicator::update(&mut a, x).unwrap())
        .last()
        .unwrap()
        .unwrap();
    let (mut m, mut ms, mut mh) = (vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    let r = core
        .macd(0, N - 1, closes, 12, 26, 9, &mut m, &mut ms, &mut mh)
        .unwrap();
    let tb = (m[r.count - 1], ms[r.count - 1], mh[r.count - 1]);
    let lb = core.macd_lookback(12, 26, 9).unwrap();
    let (mut s, _) = core.macd_open(&closes[..=lb], 12, 26, 9).unwrap();
    let ts = closes[lb + 1..]
        .iter()
        .map(|&x| s.update(x).unwrap())
        .last()
        .unwrap();
    let mut t = ta::indicators::MovingAverageConvergenceDivergence::new(12, 26, 9).unwrap();
    let tv = closes
        .iter()
        .map(|&x| ta::Next::next(&mut t, x))
        .last()
        .unwrap();
    let mut w = wickra::MacdIndicator::new(12, 26, 9).unwrap();
    let wv = closes
        .iter()
        .map(|&x| wickra::Indicator::update(&mut w, x))
        .last()
        .unwrap()
        .unwrap();
    let mut outs: [Vec<f64>; 5] = std::array::from_fn(|_| vec![0.0; N]);
    {
        let [o1, o2, o3, o4, o5] = &mut outs;
        kand::ohlcv::macd::macd(closes, 12, 26, 9, o1, o2, o3, o4, o5).unwrap();
    }
    let kb = (outs[0][N - 1], outs[1][N - 1], outs[2][N - 1]);
    let mut sb = [[0.0; 35]; 5];
    {
        let [o1, o2, o3, o4, o5] = &mut sb;
        kand::ohlcv::macd::macd(&closes[..35], 12, 26, 9, o1, o2, o3, o4, o5).unwrap();
    }
    let (mut fast, mut slow, mut sig, mut line) = (sb[3][34], sb[4][34], sb[1][34], 0.0);
    for &x in &closes[35..] {
        fast = kand::ohlcv::ema::ema_inc(x, fast, 12, None).unwrap();
        slow = kand::ohlcv::ema::ema_inc(x, slow, 26, None).unwrap();
        line = fast - slow;
        sig = kand::ohlcv::ema::ema_inc(line, sig, 9, None).unwrap();
    }
    let mut y =
        yata::core::IndicatorConfig::init(yata::indicators::MACD::default(), &bars[0]).unwrap();
    let yr = bars[1..]
        .iter()
        .map(|b| yata::core::IndicatorInstance::next(&mut y, b))
        .last()
        .unwrap();
    println!(
        "  apex-ta ({:.9e}, {:.9e}, {:.9e})",
        am.macd, am.signal, am.histogram
    );
    println!("  ta-lib  ({:.9e}, {:.9e}, {:.9e})", tb.0, tb.1, tb.2);
    println!(
        "  ta      ({:.9e}, {:.9e}, {:.9e})",
        tv.macd, tv.signal, tv.histogram
    );
    println!(
        "  wickra  ({:.9e}, {:.9e}, {:.9e})",
        wv.macd, wv.signal, wv.histogram
    );
    println!("  kand    ({:.9e}, {:.9e}, {:.9e})", kb.0, kb.1, kb.2);
    println!("  yata    ({:.9e}, {:.9e})", yr.value(0), yr.value(1));
    agree("ta-lib stream == ta-lib batch (macd)", ts.0, tb.0);
    agree("ta-lib stream == ta-lib batch (signal)", ts.1, tb.1);
    agree("kand ema_inc x3 == kand batch (macd)", line, kb.0);
    agree("kand ema_inc x3 == kand batch (signal)", sig, kb.1);
    agree("apex-ta == ta-lib (macd)", am.macd, tb.0);
    agree("apex-ta == ta-lib (signal)", am.signal, tb.1);

    // ---------------- ATR(14)
    println!("ATR(14), last value:");
    let mut a = apex_ta::Atr::<f64>::new(14).unwrap();
    let av = apex
        .iter()
        .map(|&b| apex_ta::Indicator::update(&mut a, b).unwrap())
        .last()
        .unwrap()
        .unwrap();
    let mut out = vec![0.0; N];
    let r = core.atr(0, N - 1, h, l, c, 14, &mut out).unwrap();
    let tb = out[r.count - 1];
    let lb = core.atr_lookback(14).unwrap();
    let (mut s, _) = core.atr_open(&h[..=lb], &l[..=lb], &c[..=lb], 14).unwrap();
    let ts = bars[lb + 1..]
        .iter()
        .map(|b| s.update(b.high, b.low, b.close).unwrap())
        .last()
        .unwrap();
    let mut t = ta::indicators::AverageTrueRange::new(14).unwrap();
    let tv = bars
        .iter()
        .map(|b| ta::Next::next(&mut t, b))
        .last()
        .unwrap();
    let mut w = wickra::Atr::new(14).unwrap();
    let wv = wick
        .iter()
        .map(|&b| wickra::Indicator::update(&mut w, b))
        .last()
        .unwrap()
        .unwrap();
    let mut kout = vec![0.0; N];
    kand::ohlcv::atr::atr(h, l, c, 14, &mut kout).unwrap();
    let kb = kout[N - 1];
    let mut seed = [0.0; 15];
    kand::ohlcv::atr::atr(&h[..15], &l[..15], &c[..15], 14, &mut seed).unwrap();
    let (mut pc, mut kv) = (c[14], seed[14]);
    for b in &bars[15..] {
        kv = kand::ohlcv::atr::atr_inc(b.high, b.low, pc, kv, 14).unwrap();
        pc = b.close;
    }
    println!("  apex-ta {av:.9e}  ta-lib {tb:.9e}  ta {tv:.9e}  wickra {wv:.9e}  kand {kb:.9e}  yata (none)");
    agree("ta-lib stream == ta-lib batch", ts, tb);
    agree("kand inc == kand batch", kv, kb);
    agree("apex-ta == ta-lib", av, tb);

    if fails > 0 {
        eprintln!("{fails} check(s) failed");
        std::process::exit(1);
    }
    println!("all checks passed");
}
