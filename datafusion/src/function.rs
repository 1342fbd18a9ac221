//! The SQL functions: names, argument shapes, planning-time checks, and the
//! row-by-row partition evaluator.

use std::ops::Range;
use std::sync::Arc;

use apex_ta::score::APEX_SIGNALS;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Builder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{exec_err, plan_datafusion_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{
    ExpressionArgs, PartitionEvaluatorArgs, WindowUDFFieldArgs,
};
use datafusion::logical_expr::{
    LimitEffect, PartitionEvaluator, Signature, Volatility, WindowUDF, WindowUDFImpl,
};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::expressions::Literal;

use crate::engine::{ApexPart, Engine, MacdPart, RatioPart, Value};

/// Every function this crate defines, in the order of the crate docs' table.
pub(crate) const KINDS: [Kind; 20] = [
    Kind::Sma,
    Kind::Ema,
    Kind::Rsi,
    Kind::Macd(MacdPart::Line),
    Kind::Macd(MacdPart::Signal),
    Kind::Macd(MacdPart::Histogram),
    Kind::TrueRange,
    Kind::Atr,
    Kind::Natr,
    Kind::StdDev,
    Kind::RollingMax,
    Kind::RollingMin,
    Kind::VolumeZ,
    Kind::VolumeRatio,
    Kind::RelRatio,
    Kind::RelPerf,
    Kind::Fibonacci,
    Kind::Apex(ApexKind::Score),
    Kind::Apex(ApexKind::Label),
    Kind::Apex(ApexKind::Contribution),
];

/// The three APEX functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ApexKind {
    /// `apex_score`.
    Score,
    /// `apex_label`.
    Label,
    /// `apex_contribution`, with the signal's name as last argument.
    Contribution,
}

/// One SQL function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Sma,
    Ema,
    Rsi,
    Macd(MacdPart),
    TrueRange,
    Atr,
    Natr,
    StdDev,
    RollingMax,
    RollingMin,
    VolumeZ,
    VolumeRatio,
    RelRatio,
    RelPerf,
    Fibonacci,
    Apex(ApexKind),
}

/// The APEX functions' data arguments (the last one may be left out).
const APEX_COLUMNS: [&str; 8] = [
    "open", "high", "low", "close", "volume", "spy", "qqq", "dgs2",
];

impl Kind {
    /// The SQL name.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Kind::Sma => "sma",
            Kind::Ema => "ema",
            Kind::Rsi => "rsi",
            Kind::Macd(MacdPart::Line) => "macd",
            Kind::Macd(MacdPart::Signal) => "macd_signal",
            Kind::Macd(MacdPart::Histogram) => "macd_hist",
            Kind::TrueRange => "trange",
            Kind::Atr => "atr",
            Kind::Natr => "natr",
            Kind::StdDev => "ta_stddev",
            Kind::RollingMax => "rolling_max",
            Kind::RollingMin => "rolling_min",
            Kind::VolumeZ => "volume_z",
            Kind::VolumeRatio => "volume_ratio",
            Kind::RelRatio => "rel_ratio",
            Kind::RelPerf => "rel_perf",
            Kind::Fibonacci => "fib_retracement",
            Kind::Apex(ApexKind::Score) => "apex_score",
            Kind::Apex(ApexKind::Label) => "apex_label",
            Kind::Apex(ApexKind::Contribution) => "apex_contribution",
        }
    }

    /// The data arguments' names (numbers, one per row).
    const fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Sma
            | Kind::Ema
            | Kind::Rsi
            | Kind::Macd(_)
            | Kind::StdDev
            | Kind::RollingMax
            | Kind::RollingMin => &["x"],
            Kind::VolumeZ | Kind::VolumeRatio => &["volume"],
            Kind::TrueRange | Kind::Atr | Kind::Natr | Kind::Fibonacci => &["high", "low", "close"],
            Kind::RelRatio | Kind::RelPerf => &["a", "b"],
            Kind::Apex(_) => &APEX_COLUMNS,
        }
    }

    /// The literal parameters' names after the data arguments.
    const fn params(self) -> &'static [&'static str] {
        match self {
            Kind::TrueRange | Kind::Apex(ApexKind::Score | ApexKind::Label) => &[],
            Kind::Macd(_) => &["fast", "slow", "signal"],
            Kind::RelRatio => &["n", "output"],
            Kind::Apex(ApexKind::Contribution) => &["signal"],
            _ => &["n"],
        }
    }

    /// The SQL call's shape, for messages: `rsi(x, n)`.
    pub(crate) fn usage(self) -> String {
        let mut args: Vec<String> = self.columns().iter().map(|c| (*c).to_string()).collect();
        if let Kind::Apex(_) = self {
            if let Some(last) = args.last_mut() {
                *last = format!("[{last}]");
            }
        }
        for p in self.params() {
            args.push(match (self, *p) {
                (Kind::RelRatio, "output") => "['distance' | 'ratio' | 'ema']".to_string(),
                (Kind::Apex(_), _) => format!("'{}'", APEX_SIGNALS.join("' | '")),
                _ => (*p).to_string(),
            });
        }
        format!("{}({})", self.name(), args.join(", "))
    }

    /// How many of `n` arguments are data columns, or a planning error when
    /// `n` fits no form of the function.
    fn data_arguments(self, n: usize) -> Result<usize> {
        let (columns, params) = (self.columns().len(), self.params().len());
        let data = match self {
            // dgs2 may be left out.
            Kind::Apex(_) if n + 1 == columns + params => Some(columns - 1),
            // The output selector may be left out.
            Kind::RelRatio if n + 1 == columns + params => Some(columns),
            _ if n == columns + params => Some(columns),
            _ => None,
        };
        if let Some(data) = data {
            Ok(data)
        } else {
            plan_err!(
                "{} takes {}: got {n} argument{}",
                self.name(),
                self.usage(),
                if n == 1 { "" } else { "s" }
            )
        }
    }

    /// The result's type.
    const fn output(self) -> DataType {
        match self {
            Kind::Apex(ApexKind::Label) => DataType::Utf8,
            _ => DataType::Float64,
        }
    }

    /// The running state for one partition, from the literal parameters;
    /// a bad parameter is the core crate's error, as a planning error.
    fn engine(self, params: &[Param]) -> Result<Engine> {
        let name = self.name();
        let n = |i: usize| -> Result<usize> {
            let param = self.params().get(i).copied().unwrap_or("n");
            let Some(Param::Int(v)) = params.get(i) else {
                return plan_err!(
                    "{name}: parameter `{param}` must be an integer literal; usage: {}",
                    self.usage()
                );
            };
            usize::try_from(*v).map_err(|_| {
                plan_datafusion_err!(
                    "{name}: parameter `{param}` must be a non-negative integer, got {v}"
                )
            })
        };
        let word = |i: usize| -> Option<&str> {
            match params.get(i) {
                Some(Param::Text(t)) => Some(t.as_str()),
                _ => None,
            }
        };
        let built = match self {
            Kind::Sma => Engine::sma(n(0)?),
            Kind::Ema => Engine::ema(n(0)?),
            Kind::Rsi => Engine::rsi(n(0)?),
            Kind::Macd(part) => Engine::macd(n(0)?, n(1)?, n(2)?, part),
            Kind::TrueRange => Ok(Engine::trange()),
            Kind::Atr => Engine::atr(n(0)?),
            Kind::Natr => Engine::natr(n(0)?),
            Kind::StdDev => Engine::stddev(n(0)?),
            Kind::RollingMax => Engine::rolling_max(n(0)?),
            Kind::RollingMin => Engine::rolling_min(n(0)?),
            Kind::VolumeZ => Engine::volume(n(0)?, true),
            Kind::VolumeRatio => Engine::volume(n(0)?, false),
            Kind::RelRatio => {
                let part = match (params.len(), word(1)) {
                    (1, _) | (_, Some("distance")) => RatioPart::Distance,
                    (_, Some("ratio")) => RatioPart::Ratio,
                    (_, Some("ema")) => RatioPart::Ema,
                    _ => {
                        return plan_err!(
                            "rel_ratio: output must be the literal 'distance', 'ratio' or 'ema'; usage: {}",
                            self.usage()
                        )
                    }
                };
                Engine::ratio(n(0)?, part)
            }
            Kind::RelPerf => Engine::performance(n(0)?),
            Kind::Fibonacci => Engine::fibonacci(n(0)?),
            Kind::Apex(ApexKind::Score) => Ok(Engine::apex(ApexPart::Score)),
            Kind::Apex(ApexKind::Label) => Ok(Engine::apex(ApexPart::Label)),
            Kind::Apex(ApexKind::Contribution) => {
                let signal = word(0).unwrap_or_default();
                match APEX_SIGNALS.iter().position(|s| *s == signal) {
                    Some(i) => Ok(Engine::apex(ApexPart::Contribution(i))),
                    None => {
                        return plan_err!(
                        "apex_contribution: the signal must be one of the literals '{}'; got {:?}",
                        APEX_SIGNALS.join("', '"),
                        signal
                    )
                    }
                }
            }
        };
        built.map_err(|e| plan_datafusion_err!("{name}: {e}"))
    }
}

/// A literal parameter.
#[derive(Debug, Clone, PartialEq)]
enum Param {
    Int(i64),
    Text(String),
    /// Anything else (a column, a NULL, a float…): rejected by `engine`.
    Other,
}

impl Param {
    fn of(expr: &Arc<dyn PhysicalExpr>) -> Param {
        let Some(lit) = expr.downcast_ref::<Literal>() else {
            return Param::Other;
        };
        match lit.value() {
            ScalarValue::Int8(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::Int16(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::Int32(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::Int64(Some(v)) => Param::Int(*v),
            ScalarValue::UInt8(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::UInt16(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::UInt32(Some(v)) => Param::Int(i64::from(*v)),
            ScalarValue::UInt64(Some(v)) => {
                i64::try_from(*v).map_or(Param::Int(i64::MAX), Param::Int)
            }
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => Param::Text(s.clone()),
            _ => Param::Other,
        }
    }
}

/// A [`WindowUDFImpl`] for one of the crate's functions.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct TaFunction {
    kind: Kind,
    signature: Signature,
}

impl TaFunction {
    /// The function `kind` as a DataFusion [`WindowUDF`].
    pub(crate) fn udwf(kind: Kind) -> WindowUDF {
        WindowUDF::new_from_impl(TaFunction {
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    }
}

impl WindowUDFImpl for TaFunction {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Data arguments become `DOUBLE` (numbers and NULL accepted); parameters
    /// keep their integer or string type; anything else is a planning error.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.kind.name();
        let data = self.kind.data_arguments(arg_types.len())?;
        let mut out = Vec::with_capacity(arg_types.len());
        for (i, t) in arg_types.iter().enumerate() {
            if i < data {
                if t.is_numeric() || *t == DataType::Null {
                    out.push(DataType::Float64);
                } else {
                    let column = self.kind.columns().get(i).copied().unwrap_or("x");
                    return plan_err!(
                        "{name}: argument `{column}` must be a number, got {t}; usage: {}",
                        self.kind.usage()
                    );
                }
            } else if t.is_integer() {
                out.push(DataType::Int64);
            } else if matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
                out.push(DataType::Utf8);
            } else {
                let p = self.kind.params().get(i - data).copied().unwrap_or("n");
                return plan_err!(
                    "{name}: parameter `{p}` must be a literal, got type {t}; usage: {}",
                    self.kind.usage()
                );
            }
        }
        Ok(out)
    }

    /// Only the data arguments are evaluated per batch; the literal
    /// parameters are read once, when the evaluator is made.
    fn expressions(&self, expr_args: ExpressionArgs) -> Vec<Arc<dyn PhysicalExpr>> {
        let all = expr_args.input_exprs();
        let data = self.kind.data_arguments(all.len()).unwrap_or(all.len());
        all.iter().take(data).cloned().collect()
    }

    fn partition_evaluator(
        &self,
        args: PartitionEvaluatorArgs,
    ) -> Result<Box<dyn PartitionEvaluator>> {
        let exprs = args.input_exprs();
        let data = self.kind.data_arguments(exprs.len())?;
        let params: Vec<Param> = exprs.iter().skip(data).map(Param::of).collect();
        Ok(Box::new(Evaluator {
            engine: self.kind.engine(&params)?,
            inputs: data,
            text: self.kind.output() == DataType::Utf8,
            row: Vec::with_capacity(data),
        }))
    }

    fn field(&self, field_args: WindowUDFFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(
            field_args.name(),
            self.kind.output(),
            true,
        )))
    }

    fn limit_effect(&self, _args: &[Arc<dyn PhysicalExpr>]) -> LimitEffect {
        LimitEffect::None
    }
}

/// One partition's evaluator: the engine, fed each row once, in order.
#[derive(Debug)]
struct Evaluator {
    engine: Engine,
    inputs: usize,
    text: bool,
    /// The current row's data arguments (reused: no allocation per row).
    row: Vec<Option<f64>>,
}

impl Evaluator {
    /// Reads row `i` of the data columns into `self.row` and steps.
    fn step_row(&mut self, values: &[ArrayRef], i: usize) -> Result<Option<Value>> {
        self.row.clear();
        for k in 0..self.inputs {
            let Some(col) = values.get(k) else {
                return exec_err!("apex-ta: missing argument column {k}");
            };
            let Some(col) = col.as_primitive_opt::<Float64Type>() else {
                return exec_err!(
                    "apex-ta: argument column {k} is {}, not Float64",
                    col.data_type()
                );
            };
            self.row
                .push((i < col.len() && col.is_valid(i)).then(|| col.value(i)));
        }
        Ok(self.engine.step(&self.row))
    }
}

impl PartitionEvaluator for Evaluator {
    /// Each row's value needs only the rows before it, held in the engine:
    /// DataFusion may drop a row once its value is out.
    fn supports_bounded_execution(&self) -> bool {
        true
    }

    fn uses_window_frame(&self) -> bool {
        false
    }

    fn is_causal(&self) -> bool {
        true
    }

    /// Bounded execution: called once per row, in order, with `range` the
    /// row itself (`get_range`'s default).
    fn evaluate(&mut self, values: &[ArrayRef], range: &Range<usize>) -> Result<ScalarValue> {
        let value = self.step_row(values, range.start)?;
        Ok(match (value, self.text) {
            (Some(Value::Number(v)), false) => ScalarValue::Float64(Some(v)),
            (Some(Value::Text(t)), true) => ScalarValue::Utf8(Some(t.to_string())),
            (_, false) => ScalarValue::Float64(None),
            (_, true) => ScalarValue::Utf8(None),
        })
    }

    /// Whole-partition execution (DataFusion's `WindowAggExec`): the same
    /// steps, into one array.
    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        if self.text {
            let mut out = StringBuilder::with_capacity(num_rows, num_rows * 8);
            for i in 0..num_rows {
                match self.step_row(values, i)? {
                    Some(Value::Text(t)) => out.append_value(t),
                    _ => out.append_null(),
                }
            }
            Ok(Arc::new(out.finish()))
        } else {
            let mut out = Float64Builder::with_capacity(num_rows);
            for i in 0..num_rows {
                match self.step_row(values, i)? {
                    Some(Value::Number(v)) => out.append_value(v),
                    _ => out.append_null(),
                }
            }
            Ok(Arc::new(out.finish()))
        }
    }
}
