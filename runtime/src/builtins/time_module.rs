//! The `time` module (<https://docs.python.org/3.11/library/time.html>):
//! clocks (`time`, `monotonic`, `perf_counter`, `process_time` and their
//! `_ns` forms, `sleep`), broken-down time (`gmtime`, `localtime`,
//! `mktime`, `asctime`, `ctime`), glibc-compatible `strftime`, and the
//! zone constants (`timezone`, `altzone`, `daylight`, `tzname`). A small
//! embedded Python layer defines `struct_time`, `get_clock_info` and
//! `strptime` (which loads the `_strptime` module on first use).
//!
//! The engine has no time-zone database: local time is UTC unless the
//! host's `TZ` variable names a fixed offset in POSIX form (`EST5`,
//! `<+0530>-5:30`, `UTC0`); zones with daylight-saving rules fall back to
//! UTC.

use crate::builtins::args::{self, arity, to_f64};
use crate::builtins::{native_function, new_module};
use crate::engine::ops;
use crate::engine::{str_of, tuple_items, Vm};
use crate::objects::NativeFn;
use crate::value::Value;
use crate::PyResult;
use num_traits::ToPrimitive;

type Kwargs<'a> = &'a [(Value, Value)];

/// `struct_time`, `get_clock_info` and `strptime`, run in the module's
/// namespace when it is created.
const PYTHON_LAYER: &str = r#"
class struct_time(tuple):
    """The time value sequence returned by gmtime(), localtime() and
    strptime(): nine fields, plus tm_zone and tm_gmtoff by name."""
    n_sequence_fields = 9
    n_fields = 11
    n_unnamed_fields = 0
    _names = ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec",
              "tm_wday", "tm_yday", "tm_isdst")

    def __new__(cls, sequence, dict=None):
        items = tuple(sequence)
        count = len(items)
        if count < 9:
            raise TypeError("time.struct_time() takes an at least 9-sequence (%d-sequence given)" % count)
        if count > 11:
            raise TypeError("time.struct_time() takes an at most 11-sequence (%d-sequence given)" % count)
        self = tuple.__new__(cls, items[:9])
        extra = items[9:] + (None, None)
        self.__dict__["tm_zone"] = extra[0]
        self.__dict__["tm_gmtoff"] = extra[1]
        return self

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")

    tm_year = property(lambda self: self[0])
    tm_mon = property(lambda self: self[1])
    tm_mday = property(lambda self: self[2])
    tm_hour = property(lambda self: self[3])
    tm_min = property(lambda self: self[4])
    tm_sec = property(lambda self: self[5])
    tm_wday = property(lambda self: self[6])
    tm_yday = property(lambda self: self[7])
    tm_isdst = property(lambda self: self[8])

    def __repr__(self):
        fields = ", ".join("%s=%r" % pair for pair in zip(self._names, self))
        return "time.struct_time(%s)" % fields

    def __reduce__(self):
        return (struct_time, (tuple(self), {"tm_zone": self.tm_zone, "tm_gmtoff": self.tm_gmtoff}))

_CLOCK_INFO = {
    "time": ("clock_gettime(CLOCK_REALTIME)", False, True),
    "monotonic": ("clock_gettime(CLOCK_MONOTONIC)", True, False),
    "perf_counter": ("clock_gettime(CLOCK_MONOTONIC)", True, False),
    "process_time": ("clock_gettime(CLOCK_PROCESS_CPUTIME_ID)", True, False),
    "thread_time": ("clock_gettime(CLOCK_THREAD_CPUTIME_ID)", True, False),
}

def get_clock_info(name):
    """Information about clock name as a namespace."""
    try:
        implementation, monotonic, adjustable = _CLOCK_INFO[name]
    except (KeyError, TypeError):
        raise ValueError("unknown clock") from None
    import types
    return types.SimpleNamespace(implementation=implementation, monotonic=monotonic,
                                 adjustable=adjustable, resolution=1e-09)

def strptime(data_string, format="%a %b %d %H:%M:%S %Y"):
    """Parse data_string with format into a struct_time."""
    import _strptime
    return _strptime._strptime_time(data_string, format)
"#;

const SECONDS_PER_DAY: i64 = 86_400;
const WEEKDAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Seconds whose year no longer fits a C `int` (glibc's limit).
const LARGEST_TIMESTAMP: i64 = 67_768_036_191_676_799;

/// Broken-down time in C `struct tm` terms: months 0..=11, weekdays from
/// Sunday = 0, year days from 0, the full year (not minus 1900).
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenDownTime {
    pub year: i64,
    pub month: i64,
    pub mday: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub wday: i64,
    pub yday: i64,
    pub isdst: i64,
    pub zone: String,
    pub gmtoff: i64,
}

/// The host's local zone: seconds west of UTC and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalZone {
    pub seconds_west: i64,
    pub name: String,
}

/// Parses a POSIX `TZ` value with a fixed offset and no daylight-saving
/// part (`UTC0`, `EST5`, `JST-9`, `<+0530>-5:30`); None otherwise.
pub fn parse_fixed_zone(tz: &str) -> Option<LocalZone> {
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    let (name, rest) = if let Some(quoted) = tz.strip_prefix('<') {
        let end = quoted.find('>')?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        let end = tz
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tz.len());
        (&tz[..end], &tz[end..])
    };
    if name.len() < 3 {
        return None;
    }
    if rest.is_empty() {
        // A bare name: only the names of UTC itself are known.
        return matches!(name, "UTC" | "GMT" | "UCT" | "Zulu").then(|| LocalZone {
            seconds_west: 0,
            name: name.to_string(),
        });
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'-' => (-1, &rest[1..]),
        b'+' => (1, &rest[1..]),
        _ => (1, rest),
    };
    let mut seconds = 0i64;
    let mut parts = 0;
    for (index, part) in digits.split(':').enumerate() {
        if index > 2
            || part.is_empty()
            || part.len() > 2
            || !part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let value: i64 = part.parse().ok()?;
        seconds += value * [3600, 60, 1][index];
        parts += 1;
    }
    if parts == 0 || seconds > 24 * 3600 {
        return None;
    }
    Some(LocalZone {
        seconds_west: sign * seconds,
        name: name.to_string(),
    })
}

/// The local zone as the host's `TZ` describes it (UTC by default).
fn local_zone(vm: &mut Vm) -> LocalZone {
    vm.host
        .env_var("TZ")
        .and_then(|tz| parse_fixed_zone(&tz))
        .unwrap_or(LocalZone {
            seconds_west: 0,
            name: "UTC".to_string(),
        })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_year(year: i64) -> i64 {
    if is_leap(year) {
        366
    } else {
        365
    }
}

/// Days from 1970-01-01 to the given date (month 1..=12; day may be any
/// integer, counted from the first of the month).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Years counted from March, so the leap day ends the year.
    let shifted_year = if month <= 2 { year - 1 } else { year };
    let era = shifted_year.div_euclid(400);
    let year_of_era = shifted_year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// (year, month 1..=12, day) of a day count from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Broken-down time of `seconds` since the epoch shifted by `gmtoff`.
pub fn broken_down(seconds: i64, gmtoff: i64, zone: &str) -> BrokenDownTime {
    let local = seconds + gmtoff;
    let days = local.div_euclid(SECONDS_PER_DAY);
    let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
    let (year, month, mday) = civil_from_days(days);
    BrokenDownTime {
        year,
        month: month - 1,
        mday,
        hour: second_of_day / 3600,
        minute: second_of_day % 3600 / 60,
        second: second_of_day % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1),
        isdst: 0,
        zone: zone.to_string(),
        gmtoff,
    }
}

/// Seconds since the epoch of local broken-down time (fields normalised
/// like C `mktime`: month 13 is January of the next year, and so on).
pub fn seconds_from_broken_down(time: &BrokenDownTime, seconds_west: i64) -> Option<i64> {
    let year = time.year.checked_add(time.month.div_euclid(12))?;
    let month = time.month.rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1).checked_add(time.mday - 1)?;
    days.checked_mul(SECONDS_PER_DAY)?
        .checked_add(time.hour * 3600 + time.minute * 60 + time.second)?
        .checked_add(seconds_west)
}

/// (ISO year, ISO week) of a broken-down date, from its yday and wday.
fn iso_week(time: &BrokenDownTime) -> (i64, i64) {
    let iso_weekday = if time.wday == 0 { 7 } else { time.wday };
    let mut thursday = time.yday - iso_weekday + 4;
    let mut year = time.year;
    if thursday < 0 {
        year -= 1;
        thursday += days_in_year(year);
    } else if thursday >= days_in_year(year) {
        thursday -= days_in_year(year);
        year += 1;
    }
    (year, thursday / 7 + 1)
}

/// Applies a glibc padding/case flag to one converted field.
struct FieldStyle {
    /// `-`, `_`, `0`, or None.
    pad_flag: Option<char>,
    width: Option<usize>,
    upper: bool,
    swap_case: bool,
}

impl FieldStyle {
    fn number(&self, value: i64, default_width: usize, default_pad: char) -> String {
        let pad = match self.pad_flag {
            Some('-') => return value.to_string(),
            Some('_') => ' ',
            Some('0') => '0',
            _ => default_pad,
        };
        let width = self.width.unwrap_or(default_width);
        let digits = value.unsigned_abs().to_string();
        let sign = if value < 0 { "-" } else { "" };
        let fill = width.saturating_sub(digits.len() + sign.len());
        if pad == '0' {
            format!("{sign}{}{digits}", "0".repeat(fill))
        } else {
            format!("{}{sign}{digits}", " ".repeat(fill))
        }
    }

    fn text(&self, value: &str, swap_to_lower: bool) -> String {
        let mut text = if self.upper {
            value.to_uppercase()
        } else if self.swap_case {
            if swap_to_lower {
                value.to_lowercase()
            } else {
                value.to_uppercase()
            }
        } else {
            value.to_string()
        };
        if let Some(width) = self.width {
            let fill = width.saturating_sub(text.chars().count());
            let pad = if self.pad_flag == Some('0') { "0" } else { " " };
            text = format!("{}{text}", pad.repeat(fill));
        }
        text
    }
}

/// Formats `time` like glibc's `strftime` in the C locale.
pub fn format_time(format: &str, time: &BrokenDownTime, seconds_west: i64) -> String {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        index += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let start = index - 1;
        let mut style = FieldStyle {
            pad_flag: None,
            width: None,
            upper: false,
            swap_case: false,
        };
        while index < chars.len() && matches!(chars[index], '-' | '_' | '0' | '^' | '#') {
            match chars[index] {
                '^' => style.upper = true,
                '#' => style.swap_case = true,
                flag => style.pad_flag = Some(flag),
            }
            index += 1;
        }
        let mut width = None;
        while index < chars.len() && chars[index].is_ascii_digit() {
            let digit = chars[index] as usize - '0' as usize;
            width = Some(width.unwrap_or(0) * 10 + digit);
            index += 1;
        }
        style.width = width;
        if index < chars.len() && matches!(chars[index], 'E' | 'O') {
            index += 1;
        }
        let Some(&conversion) = chars.get(index) else {
            out.extend(&chars[start..]);
            break;
        };
        index += 1;
        match convert(conversion, time, seconds_west, &style) {
            Some(text) => out.push_str(&text),
            None => out.extend(&chars[start..index]),
        }
    }
    out
}

/// One strftime conversion; None for an unknown conversion character.
fn convert(
    conversion: char,
    time: &BrokenDownTime,
    seconds_west: i64,
    style: &FieldStyle,
) -> Option<String> {
    let weekday_name = WEEKDAY_NAMES[time.wday.rem_euclid(7) as usize];
    let month_name = MONTH_NAMES[time.month.rem_euclid(12) as usize];
    let hour12 = if time.hour % 12 == 0 {
        12
    } else {
        time.hour % 12
    };
    let composite = |format: &str| {
        let text = format_time(format, time, seconds_west);
        style.text(&text, false)
    };
    Some(match conversion {
        'a' => style.text(&weekday_name[..3], false),
        'A' => style.text(weekday_name, false),
        'b' | 'h' => style.text(&month_name[..3], false),
        'B' => style.text(month_name, false),
        'c' => composite("%a %b %e %H:%M:%S %Y"),
        'C' => style.number(time.year.div_euclid(100), 1, '0'),
        'd' => style.number(time.mday, 2, '0'),
        'D' => composite("%m/%d/%y"),
        'e' => style.number(time.mday, 2, ' '),
        'F' => composite("%Y-%m-%d"),
        'g' => style.number(iso_week(time).0.rem_euclid(100), 2, '0'),
        'G' => style.number(iso_week(time).0, 1, '0'),
        'H' => style.number(time.hour, 2, '0'),
        'I' => style.number(hour12, 2, '0'),
        'j' => style.number(time.yday + 1, 3, '0'),
        'k' => style.number(time.hour, 2, ' '),
        'l' => style.number(hour12, 2, ' '),
        'm' => style.number(time.month + 1, 2, '0'),
        'M' => style.number(time.minute, 2, '0'),
        'n' => "\n".to_string(),
        'p' => style.text(if time.hour < 12 { "AM" } else { "PM" }, true),
        'P' => style.text(if time.hour < 12 { "am" } else { "pm" }, false),
        'r' => composite("%I:%M:%S %p"),
        'R' => composite("%H:%M"),
        's' => {
            let seconds = seconds_from_broken_down(time, seconds_west).unwrap_or(0);
            style.number(seconds, 1, '0')
        }
        'S' => style.number(time.second, 2, '0'),
        't' => "\t".to_string(),
        'T' => composite("%H:%M:%S"),
        'u' => style.number(if time.wday == 0 { 7 } else { time.wday }, 1, '0'),
        'U' => style.number((time.yday + 7 - time.wday) / 7, 2, '0'),
        'V' => style.number(iso_week(time).1, 2, '0'),
        'w' => style.number(time.wday, 1, '0'),
        'W' => style.number((time.yday + 7 - (time.wday + 6) % 7) / 7, 2, '0'),
        'x' => composite("%m/%d/%y"),
        'X' => composite("%H:%M:%S"),
        'y' => style.number(time.year.rem_euclid(100), 2, '0'),
        'Y' => style.number(time.year, 1, '0'),
        'z' => {
            let sign = if time.gmtoff < 0 { '-' } else { '+' };
            let offset = time.gmtoff.abs();
            format!("{sign}{:02}{:02}", offset / 3600, offset % 3600 / 60)
        }
        'Z' => style.text(&time.zone, true),
        '%' => "%".to_string(),
        _ => return None,
    })
}

fn set(vm: &mut Vm, module: Value, name: &str, value: Value) {
    let key = vm.intern(name);
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, value);
}

fn function(vm: &mut Vm, module: Value, name: &'static str, body: NativeFn) {
    let value = native_function(vm, name, body, Value::NULL);
    set(vm, module, name, value);
}

fn nanoseconds(vm: &mut Vm, seconds: f64) -> Value {
    let nanos = num_bigint::BigInt::from((seconds * 1e9).round() as i128);
    vm.new_bigint(nanos)
}

/// Seconds since the epoch from an optional timestamp argument (floored,
/// the current time when absent or None).
fn timestamp_arg(vm: &mut Vm, value: Option<Value>) -> PyResult<i64> {
    let out_of_range =
        |vm: &mut Vm| Err(vm.overflow_error("timestamp out of range for platform time_t"));
    let value = match value.and_then(args::given) {
        Some(value) => value,
        None => return Ok(vm.host.time().floor() as i64),
    };
    let seconds = if vm.is_instance(value, vm.types.float) {
        let seconds = to_f64(vm, value)?;
        if seconds.is_nan() {
            return vm.err_value("Invalid value NaN (not a number)");
        }
        let floored = seconds.floor();
        if !(-9.2e18..9.2e18).contains(&floored) {
            return out_of_range(vm);
        }
        floored as i64
    } else {
        match args::to_bigint(vm, value)?.to_i64() {
            Some(seconds) => seconds,
            None => return out_of_range(vm),
        }
    };
    if !(-LARGEST_TIMESTAMP..=LARGEST_TIMESTAMP).contains(&seconds) {
        let class = vm.types.exc.os_error;
        let errno = Value::small_int_unchecked(75);
        let message = vm.new_str("Value too large for defined data type");
        let error = ops::call(vm, class, &[errno, message], &[])?;
        return Err(error);
    }
    Ok(seconds)
}

/// A duration in seconds: a float, or an int (`__index__` honoured), as
/// CPython's `_PyTime_FromSecondsObject` accepts.
/// A length of time in seconds as CPython's blocking calls take one
/// (`time.sleep`, a lock's timeout): a float or an int, not NaN, within
/// CPython's count of nanoseconds in a 64-bit word.
pub fn duration_seconds(vm: &mut Vm, value: Value) -> PyResult<f64> {
    let seconds = seconds_arg(vm, value)?;
    if seconds.is_nan() {
        return vm.err_value("Invalid value NaN (not a number)");
    }
    if seconds.abs() * 1e9 >= 9.223_372_036_854_776e18 {
        let message = if vm.is_instance(value, vm.types.float) {
            "timestamp out of range for platform time_t"
        } else {
            "timestamp too large to convert to C _PyTime_t"
        };
        let class = vm.types.exc.overflow_error;
        return Err(vm.new_error(class, message));
    }
    Ok(seconds)
}

fn seconds_arg(vm: &mut Vm, value: Value) -> PyResult<f64> {
    if vm.is_instance(value, vm.types.float) {
        return to_f64(vm, value);
    }
    let whole = args::to_bigint(vm, value)?;
    Ok(whole.to_f64().unwrap_or(f64::INFINITY))
}

/// `time.struct_time` of the module that is loaded.
fn struct_time_class(vm: &mut Vm) -> PyResult<Value> {
    let key = vm.intern("time");
    let module = ops::dict_get_name(vm.modules, key).unwrap_or(Value::NULL);
    if module.is_null() {
        return vm.err_runtime("the time module is not loaded");
    }
    ops::getattr_str(vm, module, "struct_time")
}

fn new_struct_time(vm: &mut Vm, time: &BrokenDownTime) -> PyResult<Value> {
    let class = struct_time_class(vm)?;
    let mut fields: Vec<Value> = [
        time.year,
        time.month + 1,
        time.mday,
        time.hour,
        time.minute,
        time.second,
        (time.wday + 6) % 7,
        time.yday + 1,
        time.isdst,
    ]
    .iter()
    .map(|&n| vm.new_int(n))
    .collect();
    fields.push(vm.new_str(time.zone.as_str()));
    fields.push(vm.new_int(time.gmtoff));
    let sequence = vm.new_tuple(fields);
    ops::call(vm, class, &[sequence], &[])
}

fn c_int_field(vm: &mut Vm, value: Value) -> PyResult<i64> {
    let n = args::to_bigint(vm, value)?;
    match n.to_i32() {
        Some(n) => Ok(i64::from(n)),
        None => Err(vm.overflow_error("Python int too large to convert to C long")),
    }
}

/// A time tuple or struct_time argument in C `struct tm` terms (as
/// CPython's `gettmarg`: month and year day from 0, weekday from Sunday).
fn time_tuple_arg(
    vm: &mut Vm,
    value: Value,
    function: &str,
    zone: &LocalZone,
) -> PyResult<BrokenDownTime> {
    let Some(items) = tuple_items(value) else {
        return vm.err_type("Tuple or struct_time argument required");
    };
    if items.len() != 9 {
        return vm.err_type(format!("{function}(): illegal time tuple argument"));
    }
    let items = items.to_vec();
    let mut fields = [0i64; 9];
    for (field, item) in fields.iter_mut().zip(items) {
        *field = c_int_field(vm, item)?;
    }
    let [year, month, mday, hour, minute, second, wday, yday, isdst] = fields;
    let mut time = BrokenDownTime {
        year,
        month: month - 1,
        mday,
        hour,
        minute,
        second,
        // C's remainder: keeps the sign, so -2 stays negative.
        wday: (wday + 1) % 7,
        yday: yday - 1,
        isdst,
        zone: zone.name.clone(),
        gmtoff: -zone.seconds_west,
    };
    if vm.type_of(value) != vm.types.tuple {
        if let Ok(name) = ops::getattr_str(vm, value, "tm_zone") {
            if let Some(name) = str_of(name) {
                time.zone = name.to_string();
            }
        }
        if let Ok(offset) = ops::getattr_str(vm, value, "tm_gmtoff") {
            if let Some(offset) = offset.as_small_int() {
                time.gmtoff = offset;
            }
        }
    }
    Ok(time)
}

/// CPython's `checktm`: the ranges asctime and strftime accept.
fn check_time_fields(vm: &mut Vm, time: &BrokenDownTime) -> PyResult<()> {
    let message = if !(0..=11).contains(&time.month) {
        "month out of range"
    } else if !(1..=31).contains(&time.mday) {
        "day of month out of range"
    } else if !(0..=23).contains(&time.hour) {
        "hour out of range"
    } else if !(0..=59).contains(&time.minute) {
        "minute out of range"
    } else if !(0..=61).contains(&time.second) {
        "seconds out of range"
    } else if time.wday < 0 {
        "day of week out of range"
    } else if !(0..=365).contains(&time.yday) {
        "day of year out of range"
    } else {
        return Ok(());
    };
    vm.err_value(message)
}

fn current_local_time(vm: &mut Vm, zone: &LocalZone) -> BrokenDownTime {
    let now = vm.host.time().floor() as i64;
    broken_down(now, -zone.seconds_west, &zone.name)
}

fn asctime_text(time: &BrokenDownTime) -> String {
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        &WEEKDAY_NAMES[time.wday.rem_euclid(7) as usize][..3],
        &MONTH_NAMES[time.month.rem_euclid(12) as usize][..3],
        time.mday,
        time.hour,
        time.minute,
        time.second,
        time.year
    )
}

fn time_gmtime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "gmtime", kwargs)?;
    arity(vm, "gmtime", args, 0, 1)?;
    let seconds = timestamp_arg(vm, args.first().copied())?;
    let time = broken_down(seconds, 0, "GMT");
    new_struct_time(vm, &time)
}

fn time_localtime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "localtime", kwargs)?;
    arity(vm, "localtime", args, 0, 1)?;
    let seconds = timestamp_arg(vm, args.first().copied())?;
    let zone = local_zone(vm);
    let time = broken_down(seconds, -zone.seconds_west, &zone.name);
    new_struct_time(vm, &time)
}

fn time_mktime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "mktime", kwargs)?;
    arity(vm, "mktime", args, 1, 1)?;
    let zone = local_zone(vm);
    let time = time_tuple_arg(vm, args[0], "mktime", &zone)?;
    match seconds_from_broken_down(&time, zone.seconds_west) {
        Some(seconds) if seconds.abs() <= LARGEST_TIMESTAMP => Ok(Value::float(seconds as f64)),
        _ => Err(vm.overflow_error("mktime argument out of range")),
    }
}

fn time_asctime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "asctime", kwargs)?;
    arity(vm, "asctime", args, 0, 1)?;
    let zone = local_zone(vm);
    let time = match args.first() {
        Some(&value) => time_tuple_arg(vm, value, "asctime", &zone)?,
        None => current_local_time(vm, &zone),
    };
    check_time_fields(vm, &time)?;
    Ok(vm.new_str(asctime_text(&time)))
}

fn time_ctime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "ctime", kwargs)?;
    arity(vm, "ctime", args, 0, 1)?;
    let seconds = timestamp_arg(vm, args.first().copied())?;
    let zone = local_zone(vm);
    let time = broken_down(seconds, -zone.seconds_west, &zone.name);
    Ok(vm.new_str(asctime_text(&time)))
}

fn time_strftime(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "strftime", kwargs)?;
    arity(vm, "strftime", args, 1, 2)?;
    let format = args::to_str(vm, args[0], "strftime() argument 1")?;
    let zone = local_zone(vm);
    let mut time = match args.get(1) {
        Some(&value) => time_tuple_arg(vm, value, "strftime", &zone)?,
        None => current_local_time(vm, &zone),
    };
    // Zero month, day and year day mean "not given" (CPython's rules).
    if time.month == -1 {
        time.month = 0;
    }
    if time.mday == 0 {
        time.mday = 1;
    }
    if time.yday == -1 {
        time.yday = 0;
    }
    check_time_fields(vm, &time)?;
    time.isdst = time.isdst.clamp(-1, 1);
    if format.contains('\0') {
        return vm.err_value("embedded null character");
    }
    let text = format_time(format, &time, zone.seconds_west);
    Ok(vm.new_str(text))
}

/// Creates the `time` module.
pub fn make(vm: &mut Vm) -> PyResult<Value> {
    let module = new_module(vm, "time");
    function(vm, module, "time", |vm, _, _| {
        Ok(Value::float(vm.host.time()))
    });
    function(vm, module, "time_ns", |vm, _, _| {
        let now = vm.host.time();
        Ok(nanoseconds(vm, now))
    });
    function(vm, module, "perf_counter", |vm, _, _| {
        Ok(Value::float(crate::sched::now(vm)))
    });
    function(vm, module, "perf_counter_ns", |vm, _, _| {
        let now = crate::sched::now(vm);
        Ok(nanoseconds(vm, now))
    });
    function(vm, module, "monotonic", |vm, _, _| {
        Ok(Value::float(crate::sched::now(vm)))
    });
    function(vm, module, "monotonic_ns", |vm, _, _| {
        let now = crate::sched::now(vm);
        Ok(nanoseconds(vm, now))
    });
    // No CPU clock reaches the engine: process and thread time are
    // approximated by the monotonic clock.
    function(vm, module, "process_time", |vm, _, _| {
        Ok(Value::float(crate::sched::now(vm)))
    });
    function(vm, module, "process_time_ns", |vm, _, _| {
        let now = crate::sched::now(vm);
        Ok(nanoseconds(vm, now))
    });
    function(vm, module, "thread_time", |vm, _, _| {
        Ok(Value::float(crate::sched::now(vm)))
    });
    function(vm, module, "thread_time_ns", |vm, _, _| {
        let now = crate::sched::now(vm);
        Ok(nanoseconds(vm, now))
    });
    function(vm, module, "sleep", |vm, args, _| {
        arity(vm, "sleep", args, 1, 1)?;
        let seconds = duration_seconds(vm, args[0])?;
        if seconds < 0.0 {
            return vm.err_value("sleep length must be non-negative");
        }
        // Parks the calling thread; other threads run meanwhile.
        crate::sched::sleep(vm, seconds)
    });
    function(vm, module, "gmtime", time_gmtime);
    function(vm, module, "localtime", time_localtime);
    function(vm, module, "mktime", time_mktime);
    function(vm, module, "asctime", time_asctime);
    function(vm, module, "ctime", time_ctime);
    function(vm, module, "strftime", time_strftime);
    let zone = local_zone(vm);
    let seconds_west = vm.new_int(zone.seconds_west);
    set(vm, module, "timezone", seconds_west);
    set(vm, module, "altzone", seconds_west);
    set(vm, module, "daylight", Value::small_int_unchecked(0));
    let name = vm.new_str(zone.name.as_str());
    let tzname = vm.new_tuple(vec![name, name]);
    set(vm, module, "tzname", tzname);
    let dict = module.as_obj().expect("module").dict();
    crate::engine::run_source_in(vm, PYTHON_LAYER, "<frozen time>", dict)?;
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        for days in [-800_000, -1, 0, 59, 365, 10_957, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    #[test]
    fn broken_down_and_strftime_match_glibc() {
        let time = broken_down(1_000_000_000, 0, "GMT");
        assert_eq!(
            format_time("%a %b %d %j %H:%M:%S %Y %U %W %V %G %u %w %%", &time, 0),
            "Sun Sep 09 252 01:46:40 2001 36 36 36 2001 7 0 %"
        );
        assert_eq!(
            format_time("%c|%-d|%_m|%^a|%Q|%", &time, 0),
            "Sun Sep  9 01:46:40 2001|9| 9|SUN|%Q|%"
        );
        let seconds = seconds_from_broken_down(&time, 0);
        assert_eq!(seconds, Some(1_000_000_000));
    }

    #[test]
    fn fixed_zones_parse() {
        assert_eq!(
            parse_fixed_zone("EST5"),
            Some(LocalZone {
                seconds_west: 18_000,
                name: "EST".into()
            })
        );
        assert_eq!(
            parse_fixed_zone("<+0530>-5:30"),
            Some(LocalZone {
                seconds_west: -19_800,
                name: "+0530".into()
            })
        );
        assert_eq!(parse_fixed_zone("EST5EDT"), None);
        assert_eq!(parse_fixed_zone("Europe/Paris"), None);
    }
}
